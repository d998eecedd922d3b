"""The 256-byte text block: offsets from the notes (built by hand here), 长期, privacy, photo hook."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import pytest

from devices.id_card.samples import SAMPLE_KEYS, sample_card, sample_cards
from devices.id_card.text import (
    CardType,
    Coded,
    InvalidCardData,
    NoPhotoDecoder,
    decode_text_block,
    encode_text_block,
    with_photo,
)
from devices.model import ResultCode


def block(fields: dict[int, str], flag: str = " ") -> bytes:
    """A space-padded UCS-2LE block with ``text`` written at each byte offset (independent of encode)."""
    raw = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        data = text.encode("utf-16-le")
        raw[offset : offset + len(data)] = data
    raw[248:250] = flag.encode("utf-16-le")
    return bytes(raw)


RESIDENT = {
    0: "王小明",
    30: "1",
    32: "46",
    36: "20000229",
    52: "云南省德宏傣族景颇族自治州芒市勐焕路1号",
    122: "533103200002291233",
    158: "芒市公安局",
    188: "20160301",
    204: "20260301",
}


def test_resident_card_offsets():
    card = decode_text_block(block(RESIDENT), b"\x01" * 1024)
    assert card.card_type is CardType.RESIDENT
    assert card.name == "王小明"  # trailing spaces stripped
    assert card.sex == Coded("1", "男")
    assert card.nation == Coded("46", "德昂")
    assert card.birth == date(2000, 2, 29)
    assert card.address == "云南省德宏傣族景颇族自治州芒市勐焕路1号"
    assert card.id_number == "533103200002291233"
    assert card.authority == "芒市公安局"
    assert (card.valid_from, card.valid_to) == (date(2016, 3, 1), date(2026, 3, 1))
    assert card.photo_wlt == b"\x01" * 1024
    assert card.pass_number == card.english_name == "" and card.issue_count is None


def test_long_term_validity_and_nul_padding():
    raw = bytearray(block({**RESIDENT, 204: "长期"}))
    raw[0 + 6 : 30] = bytes(24)  # NUL padding after the name instead of spaces
    card = decode_text_block(bytes(raw))
    assert card.valid_to is None and card.long_term
    assert card.name == "王小明"


def test_hmt_permit_offsets():
    fields = {k: v for k, v in RESIDENT.items() if k != 32}  # the nation field is unused
    card = decode_text_block(block({**fields, 122: "810000200002291233", 220: "H12345678", 238: "03"}, "J"))
    assert card.card_type is CardType.HMT_PERMIT
    assert card.nation is None
    assert card.pass_number == "H12345678"
    assert card.issue_count == 3
    assert card.id_number == "810000200002291233"


def test_old_foreigner_card_offsets():
    fields = {
        0: "SMITH, JOHN",
        120: "1",
        122: "USA310075080113",
        152: "USA",
        158: "史密斯",
        188: "20150101",
        204: "20250101",
        220: "19750801",
        236: "01",
        240: "3100",
    }
    card = decode_text_block(block(fields, "I"))
    assert card.card_type is CardType.FOREIGNER
    assert (card.english_name, card.name, card.nationality) == ("SMITH, JOHN", "史密斯", "USA")
    assert card.sex.text == "男"
    assert card.id_number == "USA310075080113"
    assert card.birth == date(1975, 8, 1)
    assert (card.card_version, card.authority) == ("01", "3100")
    assert card.address == "" and card.nation is None


def test_2023_foreigner_card_offsets_and_split_english_name():
    english = "ABCDEFGHIJKLMNOPQRSTUVWXYZ, ABCDEFG HIJKLMNOPQ"  # 46 characters; the 36th is a space
    assert len(english) == 46
    fields = {
        0: "张约翰",
        30: "1",
        32: "02",
        36: "19800101",
        52: english[:35],
        122: "931840198001010017",
        188: "20240101",
        204: "20340101",
        220: english[35:],
        242: "USA",
        250: "1",
    }
    card = decode_text_block(block(fields, "Y"))
    assert card.card_type is CardType.FOREIGNER_2023
    assert card.english_name == english
    assert card.renewal_count == 2
    assert card.nationality == "USA"
    assert card.previous_number == "1"
    assert card.authority == ""


def test_english_name_boundary_space_survives_a_round_trip():
    card = replace(sample_card("foreigner-2023"), english_name="A" * 34 + " " + "B" * 5)
    assert decode_text_block(encode_text_block(card), card.photo_wlt).english_name == card.english_name


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_samples_round_trip(key):
    card = sample_card(key)
    raw = encode_text_block(card)
    assert len(raw) == 256
    assert decode_text_block(raw, card.photo_wlt) == card


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({36: "20000230"}, "calendar"),
        ({188: "2016031X"}, "YYYYMMDD"),
        ({122: "                  "}, "no ID number"),
    ],
)
def test_bad_fields_raise_invalid_data_without_personal_values(patch, message):
    with pytest.raises(InvalidCardData) as err:
        decode_text_block(block({**RESIDENT, **patch}))
    assert err.value.code == ResultCode.INVALID_DATA
    assert message in err.value.detail
    for value in ("王小明", "533103200002291233", "芒市"):
        assert value not in str(err.value)


def test_bad_blocks_raise_invalid_data():
    with pytest.raises(InvalidCardData, match="card type"):
        decode_text_block(block(RESIDENT, "Q"))
    with pytest.raises(InvalidCardData, match="255 bytes"):
        decode_text_block(block(RESIDENT)[:255])
    raw = bytearray(block(RESIDENT))
    raw[0:2] = b"\x00\xd8"  # a lone UTF-16 surrogate
    with pytest.raises(InvalidCardData, match="UCS-2"):
        decode_text_block(bytes(raw))


def test_encode_rejects_too_long_fields():
    with pytest.raises(ValueError, match="name"):
        encode_text_block(replace(sample_card(), name="名" * 16))


def test_repr_and_logs_hide_personal_values(caplog):
    card = sample_card("resident")
    texts = [repr(card), str(card), f"{card}", repr([card]), repr({"card": card})]
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").info("card %s %r", card, card)
    texts.append(caplog.text)
    for text in texts:
        for secret in (card.name, card.id_number, card.address, card.id_number[-4:], "1985"):
            assert secret not in text
    assert "resident" in repr(card)


def test_wipe_drops_personal_values():
    card = sample_card("hmt-permit")
    card.wipe()
    assert (card.name, card.id_number, card.address, card.pass_number) == ("", "", "", "")
    assert card.photo_wlt == b"" and card.sex == Coded("", "") and card.issue_count is None
    assert card.card_type is CardType.HMT_PERMIT
    assert sample_card("hmt-permit").name == "陈嘉欣"  # samples are fresh objects


class RecordingDecoder:
    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def decode(self, wlt: bytes) -> bytes | None:
        self.seen.append(wlt)
        return b"BM" + wlt[:4]


class BrokenDecoder:
    def decode(self, wlt: bytes) -> bytes | None:
        raise RuntimeError("licence file missing")


def test_photo_decoder_hook():
    card = sample_card()
    assert len(card.photo_wlt) == 1024
    assert NoPhotoDecoder().decode(card.photo_wlt) is None
    assert with_photo(card, None).photo_image is None
    dec = RecordingDecoder()
    decoded = with_photo(card, dec)
    assert dec.seen == [card.photo_wlt]
    assert decoded.photo_image == b"BM" + card.photo_wlt[:4]
    assert with_photo(card, BrokenDecoder()).photo_image is None  # a vendor failure never fails a read


def test_samples_are_distinct_people_of_every_type():
    cards = sample_cards()
    assert {c.card_type for c in cards.values()} == set(CardType)
    assert len({c.id_number for c in cards.values()}) == len(cards)
