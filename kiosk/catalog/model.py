"""The in-memory catalog: items, bundles, the service-point directory, categories, themes, synonyms.

A ``Catalog`` is built once from a validated document (see ``kiosk.catalog.loader``) and never
changes; a new catalog version is a new ``Catalog`` object. Lookups the UI needs (by category,
department, theme, bundle membership, 就近办) are precomputed indexes.

Service-point rule (就近办): an item whose ``service_points`` is empty is not restricted to
particular points (全域通办), so every point handles it; otherwise only the listed points do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from kiosk.domain.items import Bundle, Department, FormSpec, Material, ServiceItem, ServicePoint

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Region:
    """The administrative region a catalog belongs to."""

    code: str
    name: str
    province: str = ""
    hotline: str = ""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Region:
        return cls(d["code"], d["name"], d.get("province", ""), d.get("hotline", ""))


class NearbyPoint(NamedTuple):
    """A service point and its great-circle distance from the kiosk."""

    point: ServicePoint
    distance_km: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS-84 positions."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Catalog:
    """An immutable catalog version. Build it with ``kiosk.catalog.loader.load_catalog_document``."""

    __slots__ = (
        "_bundles",
        "_by_category",
        "_by_department",
        "_by_theme",
        "_containing",
        "_items",
        "_order",
        "_points",
        "business_themes",
        "categories",
        "citizen_themes",
        "generated_at",
        "region",
        "synonyms",
        "version",
    )

    def __init__(
        self,
        *,
        version: int,
        generated_at: str,
        region: Region,
        categories: Sequence[str],
        citizen_themes: Sequence[str],
        business_themes: Sequence[str],
        items: Iterable[ServiceItem],
        bundles: Iterable[Bundle],
        service_points: Iterable[ServicePoint],
        synonyms: Iterable[Sequence[str]],
    ) -> None:
        self.version = version
        self.generated_at = generated_at
        self.region = region
        self.categories = tuple(categories)
        self.citizen_themes = tuple(citizen_themes)
        self.business_themes = tuple(business_themes)
        self.synonyms = tuple(tuple(g) for g in synonyms)
        self._order = tuple(items)
        self._items = MappingProxyType(_unique({i.code: i for i in self._order}, self._order, "item"))
        bundle_list = tuple(bundles)
        self._bundles = MappingProxyType(_unique({b.code: b for b in bundle_list}, bundle_list, "bundle"))
        point_list = tuple(service_points)
        self._points = MappingProxyType(_unique({p.code: p for p in point_list}, point_list, "service point"))
        self._by_category: dict[str, list[ServiceItem]] = {}
        self._by_department: dict[Department, list[ServiceItem]] = {}
        self._by_theme: dict[str, list[ServiceItem]] = {}
        for item in self._order:
            self._by_category.setdefault(item.category, []).append(item)
            self._by_department.setdefault(item.department, []).append(item)
            for theme in dict.fromkeys(item.citizen_themes + item.business_themes):
                self._by_theme.setdefault(theme, []).append(item)
        self._containing: dict[str, list[Bundle]] = {}
        for bundle in bundle_list:
            for code in bundle.member_codes:
                self._containing.setdefault(code, []).append(bundle)

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_containing"):  # the last slot __init__ fills: from then on, read-only
            raise AttributeError("a Catalog is immutable; load a new version instead")
        object.__setattr__(self, name, value)

    # -- items --------------------------------------------------------------------------------------
    @property
    def items(self) -> Mapping[str, ServiceItem]:
        """Items by implementation code (read-only)."""
        return self._items

    @property
    def item_list(self) -> tuple[ServiceItem, ...]:
        """Items in document order."""
        return self._order

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[ServiceItem]:
        return iter(self._order)

    def __contains__(self, code: object) -> bool:
        return code in self._items

    def item(self, code: str) -> ServiceItem:
        """The item with implementation code ``code``; ``KeyError`` if unknown."""
        try:
            return self._items[code]
        except KeyError:
            raise KeyError(f"no service item with code {code!r}") from None

    def by_category(self, category: str) -> list[ServiceItem]:
        return list(self._by_category.get(category, ()))

    def by_department(self) -> dict[Department, list[ServiceItem]]:
        """Items grouped by department, departments in order of first appearance."""
        return {d: list(items) for d, items in self._by_department.items()}

    def departments(self) -> list[Department]:
        return list(self._by_department)

    def by_theme(self, theme: str) -> list[ServiceItem]:
        """Items tagged with ``theme`` as a citizen or a business theme, in document order."""
        return list(self._by_theme.get(theme, ()))

    def popular(self, n: int = 12) -> list[ServiceItem]:
        """The ``n`` items to show first: kiosk-supported first, then by popularity, then document order."""
        ranked = sorted(
            enumerate(self._order), key=lambda p: (not p[1].kiosk_supported, -p[1].popularity, p[0])
        )
        return [item for _, item in ranked[: max(n, 0)]]

    # -- bundles ------------------------------------------------------------------------------------
    @property
    def bundles(self) -> tuple[Bundle, ...]:
        return tuple(self._bundles.values())

    def bundle(self, code: str) -> Bundle:
        try:
            return self._bundles[code]
        except KeyError:
            raise KeyError(f"no bundle with code {code!r}") from None

    def bundle_members(self, bundle: Bundle | str) -> list[ServiceItem]:
        """The member items of a bundle (or bundle code), in the bundle's order."""
        b = self.bundle(bundle) if isinstance(bundle, str) else bundle
        return [self.item(code) for code in b.member_codes]

    def bundle_form(self, bundle: Bundle | str) -> FormSpec:
        """一表申请: the members' forms merged by field key."""
        b = self.bundle(bundle) if isinstance(bundle, str) else bundle
        return b.merged_form(self.bundle_members(b))

    def bundle_materials(self, bundle: Bundle | str) -> tuple[Material, ...]:
        """一套材料: the members' materials, each once."""
        b = self.bundle(bundle) if isinstance(bundle, str) else bundle
        return b.merged_materials(self.bundle_members(b))

    def bundles_containing(self, item: ServiceItem | str) -> list[Bundle]:
        code = item if isinstance(item, str) else item.code
        return list(self._containing.get(code, ()))

    # -- service points (四级体系, 就近办) -----------------------------------------------------------
    @property
    def service_points(self) -> Mapping[str, ServicePoint]:
        return self._points

    def service_point(self, code: str) -> ServicePoint:
        try:
            return self._points[code]
        except KeyError:
            raise KeyError(f"no service point with code {code!r}") from None

    def handled_at(self, item: ServiceItem | str, point_code: str) -> bool:
        """Whether the point handles the item at all (window or kiosk): listed, or no restriction."""
        it = self.item(item) if isinstance(item, str) else item
        return not it.service_points or point_code in it.service_points

    def can_handle_here(self, item: ServiceItem | str, point_code: str) -> bool:
        """Whether the kiosk at ``point_code`` can handle the item: kiosk-supported and handled there."""
        it = self.item(item) if isinstance(item, str) else item
        return it.kiosk_supported and self.handled_at(it, point_code)

    def points_for(self, item: ServiceItem | str) -> list[ServicePoint]:
        """The directory entries that handle the item (unknown codes are skipped)."""
        it = self.item(item) if isinstance(item, str) else item
        if not it.service_points:
            return list(self._points.values())
        return [self._points[c] for c in it.service_points if c in self._points]

    def nearest_points(
        self,
        item: ServiceItem | str,
        latitude: float,
        longitude: float,
        n: int = 3,
        *,
        exclude: str | None = None,
    ) -> list[NearbyPoint]:
        """就近办: the ``n`` nearest points that handle the item, nearest first, without ``exclude``
        (the kiosk's own point). Ties are broken by point code."""
        candidates = [
            NearbyPoint(p, haversine_km(latitude, longitude, p.latitude, p.longitude))
            for p in self.points_for(item)
            if p.code != exclude
        ]
        candidates.sort(key=lambda c: (c.distance_km, c.point.code))
        return candidates[: max(n, 0)]


def _unique(by_code: dict[str, Any], ordered: Sequence[Any], what: str) -> dict[str, Any]:
    if len(by_code) != len(ordered):
        seen: set[str] = set()
        for entry in ordered:
            if entry.code in seen:
                raise ValueError(f"duplicate {what} code {entry.code!r}")
            seen.add(entry.code)
    return by_code


def catalog_from_document(doc: Mapping[str, Any]) -> Catalog:
    """Build a ``Catalog`` from a document that has ALREADY been validated (no checks here)."""
    return Catalog(
        version=int(doc["version"]),
        generated_at=doc["generated_at"],
        region=Region.from_dict(doc["region"]),
        categories=doc["categories"],
        citizen_themes=doc["themes"]["citizen"],
        business_themes=doc["themes"]["business"],
        items=(ServiceItem.from_dict(d) for d in doc["items"]),
        bundles=(Bundle.from_dict(d) for d in doc["bundles"]),
        service_points=(ServicePoint.from_dict(d) for d in doc["service_points"]),
        synonyms=doc["synonyms"],
    )
