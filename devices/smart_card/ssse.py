"""Reading the social security card (社会保障卡) through its SSSE application.

SELECT the SSSE application by AID, SELECT EF05 (card data) and EF06 (holder data), and READ
RECORD the fields. Each record answers ``<tag> <len> <value>``; the tag is checked, so a card that
numbers records differently is detected and the next addressing variant is tried:

- ``00 B2 <tag> 04``    record number = tag (EF05 tags 01-07 are also the record numbers)
- ``00 B2 <tag> 00``    first record whose identifier is the tag
- ``00 B2 <index> 04``  record number = position in the file (EF06: 08 -> 1, 09 -> 2, ...)
- ``00 B2 <n> <SFI|4>`` the same by short file identifier (EF05 = SFI 5, EF06 = SFI 6)

VERIFY is never sent: if the card answers 6982 the read ends with PinRequired.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from devices.base import CancelToken
from devices.id_card.id_number import is_valid_id_number
from devices.smart_card.apdu import (
    INS_READ_RECORD,
    INS_SELECT,
    SW_FILE_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    ApduChannel,
    Command,
    Response,
)
from devices.smart_card.errors import CardDataError, NotSocialSecurityCard, PinRequired

log = logging.getLogger("kiosk.devices.smart_card")

SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + 社会保障 in GBK
EF05 = 0xEF05
EF06 = 0xEF06
SFI = {EF05: 5, EF06: 6}

# Answers that mean "not addressed like this", so the next variant is worth trying.
_TRY_NEXT = frozenset({0x6700, 0x6981, 0x6986, 0x6A80, 0x6A81, 0x6A82, 0x6A83, 0x6A86, 0x6B00, 0x6D00})
SEX_TEXT = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    tag: int
    file_id: int
    index: int  # position of the record in its file (1-based)
    length: int  # value length in the specification
    required: bool


FIELDS = (
    FieldSpec(0x01, EF05, 1, 16, False),  # card identification code (卡识别码)
    FieldSpec(0x05, EF05, 5, 4, False),  # issue date, BCD
    FieldSpec(0x06, EF05, 6, 4, False),  # expiry date, BCD
    FieldSpec(0x07, EF05, 7, 9, True),  # card number, ASCII
    FieldSpec(0x08, EF06, 1, 18, True),  # social security number = ID number, ASCII
    FieldSpec(0x09, EF06, 2, 30, True),  # name, GBK
    FieldSpec(0x0A, EF06, 3, 1, False),  # sex, GB/T 2261.1
    FieldSpec(0x0B, EF06, 4, 1, False),  # nation, GB/T 3304
    FieldSpec(0x0D, EF06, 6, 4, False),  # birth date, BCD
)


@dataclass(frozen=True, slots=True, repr=False)
class SocialSecurityCard:
    """The fields read from a social security card. ``repr`` hides everything personal."""

    card_number: str
    id_number: str
    name: str
    sex: str = ""  # GB/T 2261.1 code: 0 unknown, 1 male, 2 female, 9 not specified
    nation: str = ""  # GB/T 3304 two-digit code
    birth_date: date | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    card_id_code: str = ""  # 卡识别码 as hex; its first 6 digits are the issuing region
    atr: bytes = field(default=b"", compare=False)

    @property
    def id_number_valid(self) -> bool:
        return is_valid_id_number(self.id_number)

    @property
    def sex_text(self) -> str:
        return SEX_TEXT.get(self.sex, "")

    def __repr__(self) -> str:
        return f"SocialSecurityCard(<personal data hidden>, id_number_valid={self.id_number_valid})"

    __str__ = __repr__

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, missing values as null)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "card_number": self.card_number,
            "id_number": self.id_number,
            "id_number_valid": self.id_number_valid,
            "name": self.name,
            "sex": self.sex_text or None,
            "sex_code": self.sex or None,
            "nation_code": self.nation or None,
            "birth_date": iso(self.birth_date),
            "issue_date": iso(self.issue_date),
            "expiry_date": iso(self.expiry_date),
            "card_id_code": self.card_id_code or None,
            "region_code": self.card_id_code[:6] or None,
        }


def read_social_security_card(
    channel: ApduChannel, token: CancelToken | None = None, *, atr: bytes = b""
) -> SocialSecurityCard:
    """Run the whole SSSE read over ``channel``; raises a CardError subclass on failure."""
    select_ssse(channel)
    values: dict[int, bytes | None] = {}
    for file_id in (EF05, EF06):
        selected = select_ef(channel, file_id)
        records = _RecordReader(channel, file_id, selected)
        for spec in (f for f in FIELDS if f.file_id == file_id):
            if token is not None:
                token.raise_if_cancelled()
            values[spec.tag] = records.read(spec)
    return decode_card(values, atr=atr)


def select_ssse(channel: ApduChannel) -> Response:
    response = channel.send(Command(0x00, INS_SELECT, 0x04, 0x00, SSSE_AID))
    if response.sw == SW_FILE_NOT_FOUND:
        raise NotSocialSecurityCard("the card has no SSSE application (SELECT by AID answered 6A82)")
    if response.sw == SW_SECURITY_NOT_SATISFIED:
        raise PinRequired("the card demands a PIN before the SSSE application (6982)")
    if not response.ok:
        raise CardDataError(f"SELECT SSSE answered {response.describe()}")
    return response


def select_ef(channel: ApduChannel, file_id: int) -> bool:
    """SELECT the EF with P1=02 (EF under the current DF), then P1=00. False if neither works."""
    fid = file_id.to_bytes(2, "big")
    last = None
    for p1 in (0x02, 0x00):
        response = channel.send(Command(0x00, INS_SELECT, p1, 0x00, fid))
        if response.ok:
            return True
        if response.sw == SW_SECURITY_NOT_SATISFIED:
            raise PinRequired(f"the card demands a PIN to select EF{file_id & 0xFF:02X} (6982)")
        if response.sw not in _TRY_NEXT:
            raise CardDataError(f"SELECT EF{file_id & 0xFF:02X} answered {response.describe()}")
        last = response
    log.info("SELECT EF%02X refused (%s); trying SFI addressing", file_id & 0xFF, last and last.describe())
    return False


class _RecordReader:
    """READ RECORD with the addressing variants; remembers the variant that worked for this file."""

    def __init__(self, channel: ApduChannel, file_id: int, selected: bool) -> None:
        self.channel = channel
        self.file_id = file_id
        self.selected = selected
        self.preferred: str | None = None

    def _variants(self, spec: FieldSpec) -> list[tuple[str, int, int]]:
        sfi_p2 = (SFI[self.file_id] << 3) | 0x04
        variants = []
        if self.selected:
            variants += [("tag-number", spec.tag, 0x04), ("tag-identifier", spec.tag, 0x00)]
            variants += [("index-number", spec.index, 0x04)]
        variants += [("sfi-tag", spec.tag, sfi_p2), ("sfi-index", spec.index, sfi_p2)]
        unique: list[tuple[str, int, int]] = []
        for v in variants:
            if all(v[1:] != u[1:] for u in unique):
                unique.append(v)
        unique.sort(key=lambda v: v[0] != self.preferred)  # stable: the known-good variant first
        return unique

    def read(self, spec: FieldSpec) -> bytes | None:
        problem = "no addressing variant worked"
        for name, p1, p2 in self._variants(spec):
            response = self.channel.send(Command(0x00, INS_READ_RECORD, p1, p2, le=spec.length + 2))
            if response.sw == SW_SECURITY_NOT_SATISFIED:
                raise PinRequired(f"the card demands a PIN to read record {spec.tag:02X} (6982)")
            if response.ok:
                value = parse_record(response.data, spec.tag)
                if value is not None:
                    self.preferred = name
                    return value
                problem = f"malformed record (variant {name})"
                continue
            if response.sw not in _TRY_NEXT and response.sw1 not in (0x62, 0x63):
                raise CardDataError(f"READ RECORD {spec.tag:02X} answered {response.describe()}")
            problem = f"last answer {response.describe()}"
        if spec.required:
            raise CardDataError(f"record {spec.tag:02X} of EF{self.file_id & 0xFF:02X} unreadable: {problem}")
        log.info("optional record %02X not read: %s", spec.tag, problem)
        return None


def parse_record(data: bytes, tag: int) -> bytes | None:
    """The value of ``<tag> <len> <value>``, or None if the tag or the length does not fit."""
    if len(data) < 2 or data[0] != tag or data[1] > len(data) - 2:
        return None
    return data[2 : 2 + data[1]]


# ----- decoding -----
_PAD = b"\x00\x20\xff"


def decode_card(values: dict[int, bytes | None], *, atr: bytes = b"") -> SocialSecurityCard:
    return SocialSecurityCard(
        card_number=_required(values, 0x07, "card number", _ascii),
        id_number=_required(values, 0x08, "social security number", _ascii).upper(),
        name=_required(values, 0x09, "name", _gbk),
        sex=_optional(values, 0x0A, _sex) or "",
        nation=_optional(values, 0x0B, _nation) or "",
        birth_date=_optional(values, 0x0D, _bcd_date),
        issue_date=_optional(values, 0x05, _bcd_date),
        expiry_date=_optional(values, 0x06, _bcd_date),
        card_id_code=_optional(values, 0x01, lambda v: v.rstrip(b"\xff").hex().upper()) or "",
        atr=atr,
    )


def _required(values: dict[int, bytes | None], tag: int, what: str, decode: Callable[[bytes], Any]) -> Any:
    raw = values.get(tag)
    result = decode(raw) if raw is not None else None
    if not result:
        raise CardDataError(f"record {tag:02X} ({what}) is missing or not decodable")
    return result


def _optional(values: dict[int, bytes | None], tag: int, decode: Callable[[bytes], Any]) -> Any:
    raw = values.get(tag)
    if raw is None:
        return None
    result = decode(raw)
    if result is None or result == "":
        log.info("optional record %02X not decodable; left empty", tag)  # never the value itself
    return result


def _ascii(raw: bytes) -> str | None:
    text = raw.strip(_PAD)
    if not text or not all(0x21 <= b <= 0x7E for b in text):
        return None
    return text.decode("ascii")


def _gbk(raw: bytes) -> str | None:
    text = raw.rstrip(_PAD)
    try:
        decoded = text.decode("gb18030").strip()
    except UnicodeDecodeError:
        return None
    return decoded if decoded.isprintable() else None


def _sex(raw: bytes) -> str:
    if len(raw) != 1:
        return ""
    b = raw[0]
    if chr(b) in SEX_TEXT:  # ASCII digit, as specified
        return chr(b)
    return str(b) if b in (0, 1, 2, 9) else ""  # some cards store the code as a binary byte


def _nation(raw: bytes) -> str:
    if len(raw) != 1 or raw[0] in (0x00, 0xFF):
        return ""
    b = raw[0]
    if b >> 4 <= 9 and b & 0x0F <= 9:  # compressed numeric (BCD), as specified
        return f"{b:02X}"
    return f"{b:02d}" if b <= 98 else ""  # binary fallback


def _bcd_date(raw: bytes) -> date | None:
    if len(raw) != 4 or raw in (b"\x00" * 4, b"\xff" * 4):
        return None
    digits = raw.hex()
    if not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
