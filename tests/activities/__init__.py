"""Tests of the activities package on SQLite and, when configured, PostgreSQL."""
