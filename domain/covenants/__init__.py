"""Versioned covenant procedure files (TOML), read by ``store.covenants``."""
