"""Fictitious sample cards for the emulator, the demo and tests.

The people are invented; their numbers carry valid GB 11643 check digits (pinned by tests) so
that validation paths run as with a real card. The photos are random bytes, not decodable WLT.
Every call builds fresh objects (callers may ``wipe()`` them).
"""

from __future__ import annotations

import random
from datetime import date

from devices.id_card.nations import NATIONS, SEXES
from devices.id_card.text import PHOTO_LEN, CardType, Coded, IdentityCard

SAMPLE_KEYS = ("resident", "resident-long-term", "hmt-permit", "foreigner", "foreigner-2023")


def _sex(code: str) -> Coded:
    return Coded(code, SEXES[code])


def _photo(seed: int) -> bytes:
    return random.Random(seed).randbytes(PHOTO_LEN)


def sample_cards() -> dict[str, IdentityCard]:
    return {
        "resident": IdentityCard(
            card_type=CardType.RESIDENT,
            name="李明华",
            sex=_sex("1"),
            nation=Coded("01", NATIONS["01"]),
            birth=date(1985, 7, 14),
            address="浙江省杭州市西湖区文三路100号3幢2单元501室",
            id_number="330106198507141272",
            authority="杭州市公安局西湖分局",
            valid_from=date(2015, 3, 20),
            valid_to=date(2035, 3, 20),
            photo_wlt=_photo(1),
        ),
        "resident-long-term": IdentityCard(
            card_type=CardType.RESIDENT,
            name="鄂秀兰",
            sex=_sex("2"),
            nation=Coded("31", NATIONS["31"]),
            birth=date(1962, 5, 8),
            address="内蒙古自治区呼伦贝尔市莫力达瓦达斡尔族自治旗尼尔基镇团结街12号",
            id_number="15072219620508046X",
            authority="莫力达瓦达斡尔族自治旗公安局",
            valid_from=date(2012, 9, 17),
            valid_to=None,
            photo_wlt=_photo(2),
        ),
        "hmt-permit": IdentityCard(
            card_type=CardType.HMT_PERMIT,
            name="陈嘉欣",
            sex=_sex("2"),
            birth=date(1992, 11, 3),
            address="广东省深圳市福田区福华三路88号",
            id_number="810000199211034027",
            authority="深圳市公安局福田分局",
            valid_from=date(2023, 6, 1),
            valid_to=date(2028, 6, 1),
            pass_number="H60218345",
            issue_count=1,
            photo_wlt=_photo(3),
        ),
        "foreigner": IdentityCard(
            card_type=CardType.FOREIGNER,
            name="穆安娜",
            english_name="MUELLER, ANNA MARIA",
            sex=_sex("2"),
            birth=date(1985, 3, 14),
            id_number="DEU110085031428",
            nationality="DEU",
            valid_from=date(2016, 9, 1),
            valid_to=date(2026, 9, 1),
            card_version="01",
            authority="1100",
            photo_wlt=_photo(4),
        ),
        "foreigner-2023": IdentityCard(
            card_type=CardType.FOREIGNER_2023,
            name="安威廉",
            english_name="ANDERSON-WRIGHT, WILLIAM JAMES FREDERICK",  # 40 characters: spans both fields
            sex=_sex("1"),
            birth=date(1978, 5, 22),
            id_number="931826197805220114",
            nationality="GBR",
            valid_from=date(2023, 12, 1),
            valid_to=date(2033, 12, 1),
            renewal_count=0,
            photo_wlt=_photo(5),
        ),
    }


def sample_card(key: str = "resident") -> IdentityCard:
    cards = sample_cards()
    if key not in cards:
        raise KeyError(f"unknown sample card {key!r}; choose from {', '.join(SAMPLE_KEYS)}")
    return cards[key]
