"""GB 11643-1999 citizen identity numbers: ISO 7064 MOD 11-2 check digit, validation, masking.

Also used by manual entry. Covers mainland numbers, residence-permit numbers (810000 / 820000 /
830000) and the 2023 foreigner permanent-residence number (leading 9 + province code), which share
the layout: 6-digit area, 8-digit birth date, 3-digit sequence (odd = male), check character.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2**(17-i) mod 11
_CHECK = "10X98765432"
# GB/T 2260 province-level codes, plus 71 (Taiwan) and 81/82/83 (HK/Macau/Taiwan residence permits).
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
MAX_AGE_YEARS = 150


class IdNumberProblem(StrEnum):
    LENGTH = "length"
    CHARACTERS = "characters"
    REGION = "region"
    BIRTH_DATE = "birth-date"
    CHECK_DIGIT = "check-digit"


class IdNumberError(ValueError):
    """The number is not a valid GB 11643 number; ``problem`` says why. Never carries the number."""

    def __init__(self, problem: IdNumberProblem) -> None:
        super().__init__(f"invalid ID number: {problem.value}")
        self.problem = problem


def check_digit(first17: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError(IdNumberProblem.CHARACTERS)
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def with_check_digit(first17: str) -> str:
    """``first17`` plus its check character (used to build test profiles and sample cards)."""
    return first17 + check_digit(first17)


def normalize_id_number(number: str) -> str:
    """Strip surrounding spaces and upper-case a trailing x."""
    return number.strip().upper()


def validate_id_number(number: str, *, today: date | None = None) -> str:
    """Return the normalised number, or raise IdNumberError."""
    n = normalize_id_number(number)
    if len(n) != 18:
        raise IdNumberError(IdNumberProblem.LENGTH)
    if not (n[:17].isascii() and n[:17].isdigit() and (n[17].isdigit() or n[17] == "X")):
        raise IdNumberError(IdNumberProblem.CHARACTERS)
    province = n[1:3] if n[0] == "9" else n[:2]
    if province not in PROVINCE_CODES:
        raise IdNumberError(IdNumberProblem.REGION)
    birth = _birth(n)
    today = today or date.today()
    if birth is None or birth > today or today.year - birth.year > MAX_AGE_YEARS:
        raise IdNumberError(IdNumberProblem.BIRTH_DATE)
    if check_digit(n[:17]) != n[17]:
        raise IdNumberError(IdNumberProblem.CHECK_DIGIT)
    return n


def is_valid_id_number(number: str, *, today: date | None = None) -> bool:
    try:
        validate_id_number(number, today=today)
    except IdNumberError:
        return False
    return True


def birth_date_of(number: str) -> date:
    birth = _birth(normalize_id_number(number))
    if birth is None:
        raise IdNumberError(IdNumberProblem.BIRTH_DATE)
    return birth


def sex_code_of(number: str) -> str:
    """GB/T 2261.1 code from the sequence digit: "1" male (odd), "2" female (even)."""
    n = normalize_id_number(number)
    if len(n) != 18 or not n[16].isdigit():
        raise IdNumberError(IdNumberProblem.LENGTH)
    return "1" if int(n[16]) % 2 else "2"


def mask_id_number(number: str, head: int = 4, tail: int = 4, fill: str = "*") -> str:
    """``"3301**********123X"``: keep ``head`` and ``tail`` characters, mask the rest.

    Short or empty input is masked completely, so nothing leaks.
    """
    n = number.strip()
    if len(n) <= head + tail:
        return fill * len(n)
    return n[:head] + fill * (len(n) - head - tail) + n[len(n) - tail :]


def _birth(n: str) -> date | None:
    digits = n[6:14]
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
