"""Tests of the core package: pure helpers, no database."""
