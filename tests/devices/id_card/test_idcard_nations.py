"""The canonical GB/T 3304 nation table and GB/T 2261.1 sex codes."""

from __future__ import annotations

import pytest

from devices.id_card.nations import (
    NATIONS,
    SEXES,
    nation_code,
    nation_full_name,
    nation_name,
    sex_code,
    sex_text,
)


def test_table_is_complete_56_plus_97_and_98():
    assert list(NATIONS) == [f"{i:02d}" for i in range(1, 57)] + ["97", "98"]
    assert len(set(NATIONS.values())) == 58


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "汉"),
        ("02", "蒙古"),
        ("05", "维吾尔"),
        ("10", "朝鲜"),
        ("20", "傈僳"),
        ("21", "佤"),
        ("22", "畲"),
        ("24", "拉祜"),
        ("29", "柯尔克孜"),
        ("30", "土"),
        ("31", "达斡尔"),
        ("32", "仫佬"),
        ("37", "仡佬"),
        ("43", "乌孜别克"),
        ("45", "鄂温克"),
        ("46", "德昂"),
        ("52", "鄂伦春"),
        ("55", "珞巴"),
        ("56", "基诺"),
        ("97", "其他"),
        ("98", "外国血统中国籍人士"),
    ],
)
def test_spelling(code, name):
    assert nation_name(code) == name
    assert nation_code(name) == code


def test_known_public_typos_are_absent():
    names = set(NATIONS.values())
    assert not names & {"德昴", "达翰尔", "外国人入籍", "仡佬族", "高山族"}
    assert all(len(n) <= 9 and not n.endswith("族") for n in names)


def test_full_names_and_inverse_lookup():
    assert nation_full_name("01") == "汉族"
    assert nation_full_name("46") == "德昂族"
    assert nation_full_name("97") == "其他"
    assert nation_full_name("98") == "外国血统中国籍人士"
    assert nation_code("达斡尔族") == "31"
    with pytest.raises(KeyError):
        nation_name("57")
    with pytest.raises(KeyError):
        nation_code("火星")


def test_sex_codes():
    assert dict(SEXES) == {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
    assert sex_text("2") == "女" and sex_code("男") == "1"
    with pytest.raises(KeyError):
        sex_text("3")


def test_tables_are_read_only():
    with pytest.raises(TypeError):
        NATIONS["99"] = "x"  # type: ignore[index]
