"""GB 11643-1999 citizen identity number check character (ISO 7064 MOD 11-2).

The social security number on the card (EF06 record 08) is the holder's ID number. The same
algorithm lives in ``devices/id_card/id_number.py`` (full validation); this module only needs the
check character, so the smart-card package does not depend on the ID-reader package.
"""

from __future__ import annotations

from datetime import date

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK = "10X98765432"


def check_character(first17: str) -> str:
    """The 18th character for 17 digits: ``(12 - sum(a_i * w_i) mod 11) mod 11``, 10 written as X."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_valid_id_number(number: str) -> bool:
    """18 characters, a real birth date at positions 7-14, and the right check character."""
    n = number.strip().upper()
    if len(n) != 18 or not n[:17].isascii() or not n[:17].isdigit():
        return False
    try:
        date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    return check_character(n[:17]) == n[17]


def with_check_character(first17: str) -> str:
    """``first17`` plus its check character (used to build test profiles)."""
    return first17 + check_character(first17)
