"""The service-item catalog: document loading and validation, the in-memory ``Catalog``, sync records."""

from kiosk.catalog.loader import (
    CatalogError,
    CatalogHolder,
    CatalogLoader,
    load_catalog_document,
    load_catalog_file,
)
from kiosk.catalog.model import Catalog, NearbyPoint, Region

__all__ = [
    "Catalog",
    "CatalogError",
    "CatalogHolder",
    "CatalogLoader",
    "NearbyPoint",
    "Region",
    "load_catalog_document",
    "load_catalog_file",
]
