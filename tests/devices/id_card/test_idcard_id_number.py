"""GB 11643-1999 check digit (ISO 7064 MOD 11-2), validation and masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id_card.id_number import (
    IdNumberError,
    IdNumberProblem,
    birth_date_of,
    check_digit,
    is_valid_id_number,
    mask_id_number,
    sex_code_of,
    validate_id_number,
)
from devices.id_card.samples import sample_cards

TODAY = date(2025, 1, 1)
# The two examples printed in GB 11643-1999 itself, and numbers computed by hand for this project:
# 11010519491231002X: sum of digit*weight = 167, 167 mod 11 = 2 -> "X".
# 440524188001010014: sum = 195, 195 mod 11 = 8 -> "4".
VALID = [
    "11010519491231002X",
    "440524188001010014",
    "330106198507141272",
    "810000199211034027",
    "931826197805220114",
    "15072219620508046X",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_vectors(number):
    assert check_digit(number[:17]) == number[17]
    assert validate_id_number(number, today=TODAY) == number


def test_check_digit_by_hand():
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert sum(int(d) * w for d, w in zip("11010519491231002", weights, strict=True)) == 167
    assert check_digit("11010519491231002") == "X"  # 167 % 11 == 2 -> "10X98765432"[2] == "X"
    assert sum(int(d) * w for d, w in zip("44052418800101001", weights, strict=True)) == 195
    assert check_digit("44052418800101001") == "4"  # 195 % 11 == 8 -> "10X98765432"[8] == "4"


def test_samples_with_gb_numbers_are_valid():
    for card in sample_cards().values():
        if len(card.id_number) == 18:
            assert is_valid_id_number(card.id_number, today=TODAY)
            assert birth_date_of(card.id_number) == card.birth
            assert sex_code_of(card.id_number) == card.sex.code


def test_lowercase_x_and_spaces_are_normalised():
    assert validate_id_number(" 11010519491231002x ", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("1101051949123100", IdNumberProblem.LENGTH),
        ("11010519491231002XX", IdNumberProblem.LENGTH),
        ("1101051949123100X2", IdNumberProblem.CHARACTERS),
        ("11010519491231002Y", IdNumberProblem.CHARACTERS),
        ("１１０１０５１９４９１２３１００２X", IdNumberProblem.CHARACTERS),  # full-width digits
        ("000105194912310020", IdNumberProblem.REGION),
        ("901105194912310020", IdNumberProblem.REGION),
        ("110105194902300020", IdNumberProblem.BIRTH_DATE),  # 30 Feb
        ("110105203001010020", IdNumberProblem.BIRTH_DATE),  # future
        ("110105186001010020", IdNumberProblem.BIRTH_DATE),  # older than 150 years
        ("110105194912310021", IdNumberProblem.CHECK_DIGIT),
    ],
)
def test_invalid_numbers(number, problem):
    with pytest.raises(IdNumberError) as err:
        validate_id_number(number, today=TODAY)
    assert err.value.problem == problem
    assert number not in str(err.value)  # errors never carry the number
    assert not is_valid_id_number(number, today=TODAY)


@settings(max_examples=200, deadline=None, database=None)
@given(pos=st.integers(0, 16), delta=st.integers(1, 9), base=st.sampled_from(VALID))
def test_any_single_digit_error_is_detected(pos, delta, base):
    changed = base[:pos] + str((int(base[pos]) + delta) % 10) + base[pos + 1 :]
    assert check_digit(changed[:17]) != base[17]


@settings(max_examples=200, deadline=None, database=None)
@given(pos=st.integers(0, 15), base=st.sampled_from(VALID))
def test_any_adjacent_transposition_is_detected(pos, base):
    swapped = base[:pos] + base[pos + 1] + base[pos] + base[pos + 2 :]
    if swapped != base:
        assert check_digit(swapped[:17]) != base[17]


def test_mask():
    assert mask_id_number("33010619850714123X") == "3301**********123X"
    assert mask_id_number("330106198507141272", head=6, tail=0) == "330106************"
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("") == ""
