"""Retailer data import: documented CSV/YAML files into the customer context store."""

from bot.importer.errors import ImportRowError
from bot.importer.loader import ImportReport, import_folder

__all__ = ["ImportReport", "ImportRowError", "import_folder"]
