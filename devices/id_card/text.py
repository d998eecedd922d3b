"""The 256-byte UCS-2LE text block of the card, decoded into an ``IdentityCard``, and its inverse.

Layouts (byte offset/length) follow device-layer.md §2.2. The card-type flag at byte 248 selects
the layout: blank = resident ID card, 'J' = HK/Macau/Taiwan residence permit, 'I' = foreigner
permanent residence card (old), 'Y' = foreigner permanent residence card (2023).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from devices.id_card.nations import NATIONS, SEXES
from devices.model import DeviceError, ResultCode

TEXT_LEN = 256
PHOTO_LEN = 1024
LONG_TERM = "长期"
TYPE_OFFSET = 248
log = logging.getLogger("kiosk.devices.id_card")


class CardType(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    HMT_PERMIT = "hmt-permit"  # 港澳台居民居住证 ('J')
    FOREIGNER = "foreigner"  # 外国人永久居留身份证, old format ('I')
    FOREIGNER_2023 = "foreigner-2023"  # 外国人永久居留身份证, 2023 format ('Y')

    @property
    def flag(self) -> str:
        return _FLAGS[self]


_FLAGS = {
    CardType.RESIDENT: " ",
    CardType.HMT_PERMIT: "J",
    CardType.FOREIGNER: "I",
    CardType.FOREIGNER_2023: "Y",
}
_TYPES = {flag: card_type for card_type, flag in _FLAGS.items()} | {"\x00": CardType.RESIDENT}


@dataclass(frozen=True, slots=True)
class Coded:
    """A coded value and its text, e.g. sex ("1", "男") or nation ("01", "汉")."""

    code: str
    text: str


class PhotoDecoder(Protocol):
    """Hook for a licensed vendor WLT decoder (WltRS / libwltu). Returns image bytes or None."""

    def decode(self, wlt: bytes) -> bytes | None: ...


class NoPhotoDecoder:
    """The default: the WLT photo stays opaque."""

    def decode(self, wlt: bytes) -> bytes | None:
        return None


@dataclass(frozen=True, slots=True, repr=False)
class IdentityCard:
    """One card's text (and opaque photo). ``repr`` hides all personal values."""

    card_type: CardType
    name: str  # Chinese name (may be empty on an old foreigner card)
    sex: Coded
    birth: date
    id_number: str  # permit number (15 characters) on an old foreigner card
    valid_from: date
    valid_to: date | None  # None = 长期 (long term)
    nation: Coded | None = None  # resident ID card only
    address: str = ""
    authority: str = ""  # issuing authority; the 4-character authority code on an 'I' card
    english_name: str = ""
    nationality: str = ""  # three-letter country code on foreigner cards
    pass_number: str = ""  # 'J': 港澳台居民来往内地通行证号码
    issue_count: int | None = None  # 'J': 签发次数
    renewal_count: int | None = None  # 'Y': 换证次数
    card_version: str = ""  # 'I'
    previous_number: str = ""  # 'Y': link to the old 15-character number
    photo_wlt: bytes = b""
    photo_image: bytes | None = None  # filled only when a PhotoDecoder is configured

    __hash__ = None  # type: ignore[assignment]  # wipe() mutates

    def __repr__(self) -> str:
        return f"IdentityCard(card_type={self.card_type.value!r}, <personal fields redacted>)"

    __str__ = __repr__

    @property
    def long_term(self) -> bool:
        return self.valid_to is None

    def wipe(self) -> None:
        """Drop every personal value from this object (best effort: Python cannot scrub strings)."""
        for f in fields(self):
            if f.name == "card_type":
                continue
            value = getattr(self, f.name)
            blank = {str: "", bytes: b""}.get(type(value))
            if isinstance(value, Coded):
                blank = Coded("", "")
            elif isinstance(value, date):
                blank = date.min
            object.__setattr__(self, f.name, blank)


class InvalidCardData(DeviceError):
    def __init__(self, detail: str) -> None:
        super().__init__(ResultCode.INVALID_DATA, detail)


# (field, byte offset, byte length). Fields not named here are reserved (spaces).
_COMMON_TAIL = (("valid_from", 188, 16), ("valid_to", 204, 16))
_RESIDENT_HEAD = (
    ("name", 0, 30),
    ("sex", 30, 2),
    ("nation", 32, 4),
    ("birth", 36, 16),
    ("address", 52, 70),
    ("id_number", 122, 36),
    ("authority", 158, 30),
    *_COMMON_TAIL,
)
LAYOUTS: dict[CardType, tuple[tuple[str, int, int], ...]] = {
    CardType.RESIDENT: _RESIDENT_HEAD,
    CardType.HMT_PERMIT: (*_RESIDENT_HEAD, ("pass_number", 220, 18), ("issue_count", 238, 4)),
    CardType.FOREIGNER: (
        ("english_name", 0, 120),
        ("sex", 120, 2),
        ("id_number", 122, 30),
        ("nationality", 152, 6),
        ("name", 158, 30),
        *_COMMON_TAIL,
        ("birth", 220, 16),
        ("card_version", 236, 4),
        ("authority", 240, 8),
    ),
    CardType.FOREIGNER_2023: (
        ("name", 0, 30),
        ("sex", 30, 2),
        ("renewal_count", 32, 4),
        ("birth", 36, 16),
        ("english_name", 52, 70),  # characters 1-35
        ("id_number", 122, 36),
        *_COMMON_TAIL,
        ("english_name_2", 220, 22),  # characters 36-46
        ("nationality", 242, 6),
        ("previous_number", 250, 6),
    ),
}
_ENGLISH_1_CHARS = 35


def card_type_of(block: bytes) -> CardType:
    if len(block) != TEXT_LEN:
        raise InvalidCardData(f"text block of {len(block)} bytes, expected {TEXT_LEN}")
    flag = _ucs2(block[TYPE_OFFSET : TYPE_OFFSET + 2], "card type")
    if flag not in _TYPES:
        raise InvalidCardData(f"unknown card type flag U+{ord(flag):04X}")
    return _TYPES[flag]


def decode_text_block(block: bytes, photo_wlt: bytes = b"") -> IdentityCard:
    """Decode a 256-byte text block. Raises InvalidCardData (without personal values) on bad data."""
    card_type = card_type_of(block)
    raw = {name: _ucs2(block[off : off + size], name) for name, off, size in LAYOUTS[card_type]}
    values: dict[str, object] = {"card_type": card_type, "photo_wlt": bytes(photo_wlt)}
    for name, text in raw.items():
        if name == "english_name_2":
            continue
        text = text.rstrip(" \x00")
        if name in ("birth", "valid_from", "valid_to"):
            values[name] = _date(text, name, allow_long_term=name == "valid_to")
        elif name == "sex":
            values[name] = Coded(text, SEXES.get(text, ""))
        elif name == "nation":
            values[name] = Coded(text, NATIONS.get(text, "")) if text else None
        elif name in ("issue_count", "renewal_count"):
            values[name] = _count(text, name)
        else:
            values[name] = text
    if card_type is CardType.FOREIGNER_2023:
        values["english_name"] = (raw["english_name"] + raw["english_name_2"]).rstrip(" \x00")
    if not values.get("id_number"):
        raise InvalidCardData("text block has no ID number")
    return IdentityCard(**values)  # type: ignore[arg-type]


def encode_text_block(card: IdentityCard) -> bytes:
    """The inverse of ``decode_text_block`` (used by the emulator and tests)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    values: dict[str, str] = {}
    for name, _off, _size in LAYOUTS[card.card_type]:
        if name == "english_name_2":
            continue
        value = getattr(card, name)
        if isinstance(value, Coded):
            value = value.code
        elif isinstance(value, date):
            value = value.strftime("%Y%m%d")
        elif value is None:
            value = LONG_TERM if name == "valid_to" else ""
        elif isinstance(value, int):
            value = f"{value:02d}"
        values[name] = value
    if card.card_type is CardType.FOREIGNER_2023:
        full = card.english_name
        values["english_name"], values["english_name_2"] = full[:_ENGLISH_1_CHARS], full[_ENGLISH_1_CHARS:]
    for name, off, size in LAYOUTS[card.card_type]:
        data = values[name].encode("utf-16-le")
        if len(data) > size:
            raise ValueError(f"{name} longer than {size // 2} characters")
        block[off : off + len(data)] = data
    block[TYPE_OFFSET : TYPE_OFFSET + 2] = card.card_type.flag.encode("utf-16-le")
    return bytes(block)


def with_photo(card: IdentityCard, decoder: PhotoDecoder | None) -> IdentityCard:
    """Run the vendor decoder on the WLT photo; a failing decoder leaves ``photo_image`` None."""
    if decoder is None or not card.photo_wlt:
        return card
    try:
        image = decoder.decode(card.photo_wlt)
    except Exception as exc:  # a vendor library must not break the read
        log.warning("photo decoder failed: %s", type(exc).__name__)
        return card
    return replace(card, photo_image=image)


def _ucs2(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-16-le")
    except UnicodeDecodeError:
        raise InvalidCardData(f"{what}: not valid UCS-2 text") from None


def _date(text: str, what: str, *, allow_long_term: bool) -> date | None:
    if allow_long_term and text == LONG_TERM:
        return None
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise InvalidCardData(f"{what}: not a YYYYMMDD date")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise InvalidCardData(f"{what}: not a calendar date") from None


def _count(text: str, what: str) -> int | None:
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise InvalidCardData(f"{what}: not a number")
    return int(text)
