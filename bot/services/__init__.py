"""Klantreis's own web services: the demo shop page and the agent console."""
