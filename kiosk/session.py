"""The citizen session: which screen is shown, what the citizen typed and chose, and its idle policy.

Qt-free, so the flow is tested without a display (the UI renders the state and forwards intents).
Screens: ATTRACT → HOME → RESULTS → GUIDE (→ FORM, CAPTURE, SIGN, SUBMIT, RECEIPT in later
issues). ``back()`` walks a history of places, ``home()`` keeps nothing of the navigation, and
``wipe()`` forgets everything a citizen entered (query, identity, form values) and returns to the
attract screen. Listeners are called synchronously after every change, on the caller's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger("kiosk.session")

MAX_QUERY_LENGTH = 40
MAX_HISTORY = 50


class Screen(StrEnum):
    ATTRACT = "attract"
    HOME = "home"
    RESULTS = "results"
    GUIDE = "guide"
    FORM = "form"
    CAPTURE = "capture"
    SIGN = "sign"
    SUBMIT = "submit"
    RECEIPT = "receipt"


class ListingKind(StrEnum):
    """What the results screen lists: search hits or one browsing group of the catalog."""

    SEARCH = "search"
    THEME = "theme"
    DEPARTMENT = "department"
    DEPARTMENTS = "departments"  # the list of all departments
    CATEGORY = "category"
    POPULAR = "popular"
    BUNDLES = "bundles"


class SubjectKind(StrEnum):
    ITEM = "item"
    BUNDLE = "bundle"


@dataclass(frozen=True, slots=True)
class Listing:
    kind: ListingKind
    key: str = ""  # theme name, department code or category; empty for the other kinds


@dataclass(frozen=True, slots=True)
class Subject:
    """The item or bundle whose guide is shown."""

    kind: SubjectKind
    code: str


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of the back-navigation history."""

    screen: Screen
    listing: Listing | None = None
    subject: Subject | None = None
    query: str = ""


@dataclass(frozen=True, slots=True)
class IdlePolicy:
    """When the idle warning appears and how long its countdown lasts.

    The configuration enforces ``warning_s >= 20`` (WCAG 2.2.1, 适老化); tests may construct
    shorter policies directly. The attract screen has nothing to protect and SUBMIT must never be
    interrupted (printing, card eject), so neither is guarded.
    """

    timeout_s: float = 90.0
    warning_s: float = 30.0
    unguarded: frozenset[Screen] = frozenset({Screen.ATTRACT, Screen.SUBMIT})

    MIN_WARNING_S = 20

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.warning_s <= 0:
            raise ValueError("idle timeout and warning must be positive")

    @classmethod
    def from_config(cls, ui: Any) -> IdlePolicy:
        """From the ``[ui]`` configuration section (``idle_timeout_s``, ``idle_warning_s``)."""
        warning = float(ui.idle_warning_s)
        if warning < cls.MIN_WARNING_S:
            raise ValueError(f"ui.idle_warning_s: expected >= {cls.MIN_WARNING_S}, got {warning:g}")
        return cls(timeout_s=float(ui.idle_timeout_s), warning_s=warning)

    def guards(self, screen: Screen) -> bool:
        return screen not in self.unguarded


Listener = Callable[["Session"], None]


class Session:
    """State of one citizen's visit; every mutation notifies the listeners once."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.revision = 0
        self._reset()

    def _reset(self) -> None:
        self.screen = Screen.ATTRACT
        self.query = ""
        self.listing: Listing | None = None
        self.subject: Subject | None = None
        self.history: list[Place] = []
        self.identity: Any = None
        self.form_values: dict[str, str] = {}

    # ----- observers -----
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self) -> None:
        self.revision += 1
        for listener in list(self._listeners):
            listener(self)

    # ----- queries -----
    @property
    def active(self) -> bool:
        """A citizen is being served (any screen but the attract screen)."""
        return self.screen is not Screen.ATTRACT

    @property
    def can_go_back(self) -> bool:
        return bool(self.history) or self.screen not in (Screen.ATTRACT, Screen.HOME)

    def place(self) -> Place:
        return Place(self.screen, self.listing, self.subject, self.query)

    # ----- intents -----
    def start(self) -> None:
        """A touch on the attract screen: the citizen begins."""
        if self.screen is Screen.ATTRACT:
            self.screen = Screen.HOME
            log.info("session started")
            self._changed()

    def set_query(self, text: str) -> None:
        """The search text changed; typing on HOME moves to RESULTS."""
        text = text[:MAX_QUERY_LENGTH]
        if not self.active:
            return
        search = Listing(ListingKind.SEARCH)
        if text == self.query and (self.screen is not Screen.RESULTS or self.listing == search):
            return
        if self.screen is Screen.RESULTS:
            self.query = text
            self.listing = search
        elif text:
            self._go(Place(Screen.RESULTS, search, None, text))
        else:
            self.query = text
        self._changed()

    def browse(self, kind: ListingKind, key: str = "") -> None:
        """Show one group of the catalog (a theme, a department, the popular items, the bundles)."""
        if kind is ListingKind.SEARCH:
            raise ValueError("use set_query() to search")
        if self.active:
            self._go(Place(Screen.RESULTS, Listing(kind, key)))
            self._changed()

    def open_item(self, code: str) -> None:
        self._open(Subject(SubjectKind.ITEM, code))

    def open_bundle(self, code: str) -> None:
        self._open(Subject(SubjectKind.BUNDLE, code))

    def open(self, kind: str, code: str) -> None:
        """Open a search hit: ``kind`` is ``"item"`` or ``"bundle"``."""
        self._open(Subject(SubjectKind(kind), code))

    def _open(self, subject: Subject) -> None:
        if self.active and not (self.screen is Screen.GUIDE and self.subject == subject):
            self._go(Place(Screen.GUIDE, self.listing, subject, self.query))
            self._changed()

    def back(self) -> None:
        """Return to the previous place; with no history, to HOME."""
        if not self.active or not self.can_go_back:
            return
        previous = self.history.pop() if self.history else Place(Screen.HOME)
        self._enter(previous)
        self._changed()

    def home(self) -> None:
        """Back to the home screen: navigation and query are dropped, identity is kept."""
        if self.active:
            self.history.clear()
            self._enter(Place(Screen.HOME))
            self._changed()

    def set_identity(self, identity: Any) -> None:
        self.identity = identity
        self._changed()

    def set_form_value(self, key: str, value: str) -> None:
        self.form_values[key] = value
        self._changed()

    def wipe(self) -> None:
        """Forget everything the citizen entered and return to the attract screen.

        An identity with a ``wipe()`` method (devices.id_card.IdentityCard) is scrubbed first, so
        a card still referenced elsewhere (a queued device event, a screen) keeps no personal data.
        """
        scrub = getattr(self.identity, "wipe", None)
        if callable(scrub):
            scrub()
        self.form_values.clear()
        self._reset()
        log.info("session wiped")
        self._changed()

    # ----- helpers -----
    def _go(self, place: Place) -> None:
        self.history.append(self.place())
        del self.history[:-MAX_HISTORY]
        self._enter(place)

    def _enter(self, place: Place) -> None:
        self.screen = place.screen
        self.listing = place.listing
        self.subject = place.subject
        self.query = place.query

    def snapshot(self) -> Mapping[str, Any]:
        """Non-personal view of the state for logs and tests (no query text, no identity)."""
        return {
            "screen": self.screen.value,
            "listing": None if self.listing is None else (self.listing.kind.value, self.listing.key),
            "subject": None if self.subject is None else (self.subject.kind.value, self.subject.code),
            "history": len(self.history),
            "has_query": bool(self.query),
            "has_identity": self.identity is not None,
            "form_fields": len(self.form_values),
        }
