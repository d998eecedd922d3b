"""The catalog as the screens need it: one place that knows the Catalog/KioskCore API.

Catalog data (names, departments, themes) is Chinese data and is never translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.config import KioskConfig
from kiosk.domain.items import Bundle, Department, ServiceItem, ServicePoint

NEAREST_POINTS = 3


@dataclass(frozen=True, slots=True)
class NearbyPoint:
    point: ServicePoint
    distance_km: float | None


class CatalogView:
    """Read-only queries over ``core.catalog`` and ``core.search`` for the screens."""

    def __init__(self, core: Any, config: KioskConfig) -> None:
        self.core = core
        self.catalog = core.catalog
        self.point_code = config.service_point.code
        self.latitude = config.service_point.latitude
        self.longitude = config.service_point.longitude
        self.search_limit = config.catalog.search_limit

    # ----- search and browsing -----
    def search(self, query: str) -> list[Any]:
        query = query.strip()
        return list(self.core.search(query, self.search_limit)) if query else []

    def popular(self, n: int) -> list[ServiceItem]:
        return list(self.catalog.popular(n))

    def bundles(self) -> list[Bundle]:
        return list(self.catalog.bundles)

    def citizen_themes(self) -> list[str]:
        return list(self.catalog.citizen_themes)

    def theme_items(self, theme: str) -> list[ServiceItem]:
        return list(self.catalog.by_theme(theme))

    def departments(self) -> list[tuple[Department, int]]:
        """Departments in catalog order with their item counts."""
        return [(dept, len(items)) for dept, items in self.catalog.by_department().items()]

    def department_items(self, code: str) -> list[ServiceItem]:
        groups = self.catalog.by_department()
        return next((items for dept, items in groups.items() if dept.code == code), [])

    def department_name(self, code: str) -> str:
        return next((d.name for d in self.catalog.departments() if d.code == code), code)

    def category_items(self, category: str) -> list[ServiceItem]:
        return list(self.catalog.by_category(category))

    # ----- one item or bundle -----
    def item(self, code: str) -> ServiceItem | None:
        try:
            return self.catalog.item(code)
        except KeyError:
            return None

    def bundle(self, code: str) -> Bundle | None:
        try:
            return self.catalog.bundle(code)
        except KeyError:
            return None

    def bundle_members(self, bundle: Bundle) -> list[ServiceItem]:
        return list(self.catalog.bundle_members(bundle))

    def bundles_containing(self, code: str) -> list[Bundle]:
        return list(self.catalog.bundles_containing(code))

    def here(self, item: ServiceItem) -> bool:
        """Can the citizen do ``item`` at this kiosk?"""
        return bool(self.catalog.can_handle_here(item, self.point_code))

    def here_code(self, code: str) -> bool:
        item = self.item(code)
        if item is not None:
            return self.here(item)
        bundle = self.bundle(code)
        return bundle is not None and all(self.here(m) for m in self.bundle_members(bundle))

    def nearest(self, item: ServiceItem, n: int = NEAREST_POINTS) -> list[NearbyPoint]:
        """就近办: the nearest other service points that handle ``item``."""
        found = self.catalog.nearest_points(item, self.latitude, self.longitude, n, exclude=self.point_code)
        return [_nearby(entry) for entry in found][:n]

    def nearest_name(self, item: ServiceItem) -> str:
        points = self.nearest(item, 1)
        return points[0].point.name if points else ""


def _nearby(entry: Any) -> NearbyPoint:
    """A catalog NearbyPoint (point, distance_km) or a bare ServicePoint."""
    if isinstance(entry, ServicePoint):
        return NearbyPoint(entry, None)
    return NearbyPoint(entry.point, entry.distance_km)
