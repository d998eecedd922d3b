"""Receipt numbers: ISO 7064 MOD 37,36 check character, format, uniqueness per kiosk."""

from __future__ import annotations

import random

import pytest

from kiosk.outbox.receipts import (
    ALPHABET,
    ReceiptNumberError,
    check_char,
    format_receipt,
    is_valid_check,
    kiosk_prefix,
    validate_receipt,
)


def test_iso7064_mod_37_36_reference_vector() -> None:
    # python-stdnum's documented example for ISO 7064 MOD 37,36
    assert check_char("A12425GABC1234002") == "M"
    assert is_valid_check("A12425GABC1234002M")
    assert not is_valid_check("A12425GABC1234002N")


def test_format_and_validate_roundtrip() -> None:
    r = format_receipt("ksk-001", 42)
    assert r == f"KSK001-0000042-{check_char('KSK0010000042')}"
    assert validate_receipt(r) == ("KSK001", 42)
    assert validate_receipt(" " + r.lower() + " ") == ("KSK001", 42)  # typed on a keypad
    assert validate_receipt(format_receipt("k", 123_456_789)) == ("K", 123_456_789)  # grows wider


def test_every_single_substitution_is_detected_and_almost_every_transposition() -> None:
    rng = random.Random(7)
    missed_transpositions = total = 0
    for _ in range(400):
        body = "".join(rng.choice(ALPHABET) for _ in range(13))
        full = body + check_char(body)
        for i, ch in enumerate(full):
            for other in ALPHABET:
                if other != ch:
                    assert not is_valid_check(full[:i] + other + full[i + 1 :])
        for i in range(len(full) - 1):
            if full[i] != full[i + 1]:
                total += 1
                missed_transpositions += is_valid_check(full[:i] + full[i + 1] + full[i] + full[i + 2 :])
    assert missed_transpositions / total < 0.005


@pytest.mark.parametrize(
    "bad", ["", "KSK001-42-X", "KSK001-0000042", "KSK-001-0000042-A", "KSK001_0000042_A"]
)
def test_malformed_receipts(bad: str) -> None:
    with pytest.raises(ReceiptNumberError):
        validate_receipt(bad)


def test_wrong_check_character_is_named() -> None:
    r = format_receipt("ksk-001", 7)
    wrong = r[:-1] + ("0" if r[-1] != "0" else "1")
    with pytest.raises(ReceiptNumberError, match="check character"):
        validate_receipt(wrong)


def test_prefix_rules() -> None:
    assert kiosk_prefix("demo-kiosk-001") == "DEMOKIOSK001"
    with pytest.raises(ReceiptNumberError):
        kiosk_prefix("---")
    with pytest.raises(ReceiptNumberError):
        format_receipt("k", 0)
