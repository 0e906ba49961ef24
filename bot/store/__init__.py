"""The shared customer context store."""
