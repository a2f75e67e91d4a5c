"""Generic runtime helpers (retries, event streams)."""
