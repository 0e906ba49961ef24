"""Klantreis: an omnichannel customer-service bot for retailers."""

__version__ = "0.1.0"
