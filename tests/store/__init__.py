"""Tests of the store package on SQLite and, when configured, PostgreSQL."""
