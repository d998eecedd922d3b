"""Receipt numbers (回执编号), generated offline and unique per kiosk forever.

Format: ``<PREFIX>-<COUNTER>-<CHECK>``, for example ``KSK001-0000042-R``.

* ``PREFIX`` is the kiosk id reduced to upper-case ASCII letters and digits (``ksk-001`` -> ``KSK001``),
  so receipts of different kiosks never collide.
* ``COUNTER`` is a per-kiosk counter persisted in SQLite and incremented in the SAME transaction that
  stores the submission, zero-padded to at least 7 digits (it simply grows wider after 9,999,999).
* ``CHECK`` is one ISO/IEC 7064 MOD 37,36 check character (alphabet 0-9A-Z) computed over
  ``PREFIX + COUNTER`` (hyphens excluded). It detects every single-character substitution and
  about 99.9 % of adjacent transpositions (measured in tests/outbox/test_receipts.py), the errors a
  citizen makes reading a receipt aloud or typing it on the 查询 screen. Test vector (python-stdnum,
  ISO 7064): ``check_char("A12425GABC1234002") == "M"``.

ISO 7064 hybrid system MOD 37,36: start with ``p = 36``; for each character value ``v``:
``s = (p + v) mod 36`` (``36`` if that is 0), ``p = (2 * s) mod 37``. The check value ``c`` is the one
for which ``(p + c) mod 36 == 1``. Validation runs the same loop over the string including its check
character and accepts when the final ``s`` equals 1.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_M = 36
COUNTER_WIDTH = 7
_FORMAT_RE = re.compile(rf"^([0-9A-Z]{{1,32}})-(\d{{{COUNTER_WIDTH},}})-([0-9A-Z])$")


class ReceiptNumberError(ValueError):
    """A receipt number is malformed or its check character does not match."""


def _values(text: str) -> list[int]:
    try:
        return [ALPHABET.index(ch) for ch in text]
    except ValueError:
        raise ReceiptNumberError(f"only 0-9 and A-Z are allowed: {text!r}") from None


def _run(values: list[int]) -> tuple[int, int]:
    p, s = _M, 0
    for v in values:
        s = (p + v) % _M or _M
        p = (2 * s) % (_M + 1)
    return p, s


def check_char(text: str) -> str:
    """The MOD 37,36 check character of ``text`` (0-9A-Z)."""
    p, _ = _run(_values(text))
    return ALPHABET[(_M + 1 - p) % _M]


def is_valid_check(text_with_check: str) -> bool:
    """True when the last character is the correct MOD 37,36 check character of the rest."""
    if len(text_with_check) < 2:
        return False
    try:
        _, s = _run(_values(text_with_check))
    except ReceiptNumberError:
        return False
    return s == 1


def kiosk_prefix(kiosk_id: str) -> str:
    """The receipt prefix of a kiosk: its id in upper-case letters and digits only."""
    prefix = re.sub(r"[^0-9A-Z]", "", kiosk_id.upper())
    if not prefix:
        raise ReceiptNumberError(f"kiosk id {kiosk_id!r} has no letters or digits for a receipt prefix")
    return prefix[:32]


def format_receipt(kiosk_id: str, counter: int) -> str:
    """The receipt number for the ``counter``-th submission of ``kiosk_id`` (counter >= 1)."""
    if counter < 1:
        raise ReceiptNumberError("receipt counters start at 1")
    prefix = kiosk_prefix(kiosk_id)
    digits = f"{counter:0{COUNTER_WIDTH}d}"
    return f"{prefix}-{digits}-{check_char(prefix + digits)}"


def normalize(text: str) -> str:
    """Upper-case and strip spaces, so ``ksk001-0000042-r`` typed on a keypad still matches."""
    return re.sub(r"\s+", "", text).upper()


def validate_receipt(text: str) -> tuple[str, int]:
    """Return ``(prefix, counter)`` of a well-formed receipt number; raise ReceiptNumberError otherwise."""
    m = _FORMAT_RE.match(normalize(text))
    if not m:
        raise ReceiptNumberError("a receipt number looks like KSK001-0000042-R")
    prefix, digits, check = m.groups()
    if not is_valid_check(prefix + digits + check):
        raise ReceiptNumberError("the check character does not match (a character was mistyped)")
    return prefix, int(digits)
