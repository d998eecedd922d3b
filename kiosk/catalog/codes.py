"""Code helpers for catalog data: unified social credit codes and 31-character implementation codes.

Real exchange data shows 实施编码 = 18-character 统一社会信用代码 of the implementing body + 1-digit
行使层级 + 12-character 基本编码 (gov-kiosk-features.md §2.1). The loader treats codes as opaque; these
helpers only *produce* well-formed codes for the seed catalog and the synthetic generator.
"""

from __future__ import annotations

import hashlib

from kiosk.domain.items import Level

# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z).
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997: organization code check digit.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 行使层级 digit used in implementation codes ('4' = 县级 is attested; the rest follow the same order).
LEVEL_DIGITS: dict[Level, str] = {
    Level.PROVINCE: "2",
    Level.CITY: "3",
    Level.COUNTY: "4",
    Level.TOWNSHIP: "5",
    Level.VILLAGE: "6",
}

# Registration-authority + organization-type prefixes: 11 机关, 12 事业单位, 13 群团组织, 91 企业,
# 54 村民委员会等基层群众性自治组织.
ORG_KINDS = {"organ": "11", "institution": "12", "mass": "13", "enterprise": "91", "grassroots": "54"}


def _org_code(body: str) -> str:
    """Append the GB 11714 check character to an 8-digit organization code body."""
    total = sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    return credit_check_char(code[:17]) == code[17]


def credit_code(kind: str, region_code: str, name: str) -> str:
    """A deterministic, check-digit-correct credit code for a body named ``name`` in ``region_code``."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    body = str(int(digest[:12], 16) % 10**8).zfill(8)
    first17 = ORG_KINDS[kind] + region_code[:6].ljust(6, "0") + _org_code(body)
    return first17 + credit_check_char(first17)


def implementation_code(credit: str, level: Level, basic_code: str) -> str:
    """实施编码: credit code + level digit + basic code (31 characters)."""
    return f"{credit}{LEVEL_DIGITS[level]}{basic_code}"
