"""The SSSE read against the virtual card in process: fields, addressing variants, PIN, garbage."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from devices.model import ResultCode
from devices.smart_card.apdu import ApduChannel
from devices.smart_card.errors import CardDataError, NotSocialSecurityCard, PinRequired
from devices.smart_card.simulator import InProcessTransport
from devices.smart_card.ssse import EF05, EF06, SocialSecurityCard, decode_card, read_social_security_card
from devices.smart_card.virtual_card import CardProfile, Person, Quirk, VirtualSsseCard


def read(profile: CardProfile) -> tuple[SocialSecurityCard, VirtualSsseCard]:
    card = VirtualSsseCard(profile)
    return read_social_security_card(ApduChannel(InProcessTransport(card)), atr=card.atr), card


def test_reads_every_field() -> None:
    person = Person()
    card, virtual = read(CardProfile(person=person))
    assert card.card_number == "TEST00001"
    assert card.id_number == person.id_number and card.id_number_valid
    assert card.name == "张三"
    assert (card.sex, card.sex_text, card.nation) == ("1", "男", "01")
    assert card.birth_date == date(1990, 3, 7)
    assert (card.issue_date, card.expiry_date) == (date(2020, 1, 1), date(2030, 1, 1))
    assert card.card_id_code.startswith("110105D156")
    assert card.atr == virtual.atr
    assert virtual.verify_count == 0
    # SELECT AID, SELECT EF05, 4 records, SELECT EF06, 5 records
    assert len(virtual.commands) == 12


def test_to_json_and_private_repr() -> None:
    person = Person(name="韩梅梅", sex="2", id_number="11010119850521002" + "0", nation="03")
    card, _ = read(CardProfile(person=person))
    data = card.to_json()
    assert data["name"] == "韩梅梅" and data["sex"] == "女" and data["sex_code"] == "2"
    assert data["nation_code"] == "03" and data["region_code"] == "110105"
    assert data["birth_date"] == "1990-03-07" and data["expiry_date"] == "2030-01-01"
    assert data["id_number_valid"] is False  # the check character of this made-up number is wrong
    text = repr(card) + str(card) + repr([card])
    for secret in ("韩梅梅", person.id_number, "TEST00001", "1990"):
        assert secret not in text


def test_t0_card_with_chunked_get_response() -> None:
    card, virtual = read(CardProfile(t0=True, get_response_chunk=4))
    assert card.name == "张三" and card.id_number_valid
    assert any(c[1] == 0xC0 for c in virtual.commands)  # GET RESPONSE was needed
    assert any(c[1] == 0xB2 and c[4] == 0 for c in virtual.commands) is False


def test_records_numbered_by_position() -> None:
    card, virtual = read(CardProfile(record_numbering="index"))
    assert card.name == "张三" and card.sex == "1" and card.birth_date == date(1990, 3, 7)
    after_ef06 = virtual.commands[virtual.commands.index(bytes.fromhex("00A4020002EF06")) :]
    reads = [(c[2], c[3]) for c in after_ef06 if c[1] == 0xB2]
    assert (0x08, 0x04) in reads and (0x08, 0x00) in reads  # tried the tag forms first ...
    assert (0x01, 0x04) in reads and (0x02, 0x04) in reads  # ... then records 1, 2 (08, 09) by position
    assert (0x09, 0x04) not in reads  # and kept using the variant that worked


@pytest.mark.parametrize("accepted", [frozenset({0x00}), frozenset({0x02}), frozenset()])
def test_ef_select_variants_and_sfi_fallback(accepted: frozenset[int]) -> None:
    card, virtual = read(CardProfile(ef_select_p1=accepted))
    assert card.card_number == "TEST00001" and card.name == "张三"
    if not accepted:  # no EF selection works: READ RECORD by short file identifier
        assert any(c[1] == 0xB2 and c[3] == (5 << 3 | 4) for c in virtual.commands)
        assert any(c[1] == 0xB2 and c[3] == (6 << 3 | 4) for c in virtual.commands)


def test_pin_protected_holder_data_never_verifies() -> None:
    with pytest.raises(PinRequired) as info:
        read(CardProfile(pin_files=frozenset({EF06})))
    assert info.value.code == ResultCode.USER_ERROR
    assert info.value.key == "smart_card.pin_required"
    assert "6982" in info.value.detail


def test_pin_protected_card_data() -> None:
    virtual = VirtualSsseCard(CardProfile(pin_files=frozenset({EF05, EF06})))
    with pytest.raises(PinRequired):
        read_social_security_card(ApduChannel(InProcessTransport(virtual)))
    assert virtual.verify_count == 0
    assert all(c[1] != 0x20 for c in virtual.commands)


def test_other_chip_card_is_not_a_social_security_card() -> None:
    with pytest.raises(NotSocialSecurityCard) as info:
        read(CardProfile(has_ssse=False))
    assert info.value.code == ResultCode.UNSUPPORTED
    assert "6A82" in info.value.detail


@pytest.mark.parametrize(
    "quirk", [Quirk.SHORT_ANSWER, Quirk.BAD_TLV, Quirk.WRONG_TAG, Quirk.BAD_NAME, Quirk.UNKNOWN_SW]
)
def test_garbage_ends_in_invalid_data(quirk: Quirk) -> None:
    with pytest.raises(CardDataError) as info:
        read(CardProfile(quirk=quirk))
    assert info.value.code == ResultCode.INVALID_DATA
    assert "张三" not in str(info.value)


def test_t0_endless_get_response_is_invalid_data() -> None:
    with pytest.raises(CardDataError):
        read(CardProfile(t0=True, quirk=Quirk.ENDLESS_61))


def test_optional_fields_tolerate_odd_encodings() -> None:
    values = {
        0x07: b"TEST00001",
        0x08: b"11010519491231002X",
        0x09: "李四".encode("gbk") + b"\xff" * 26,
        0x0A: b"\x02",  # binary sex code
        0x0B: b"\x0b",  # binary nation code 11 instead of BCD 0x11
        0x0D: b"\xff\xff\xff\xff",  # unwritten date
        0x05: b"\x20\x25\x02\x30",  # impossible date
        0x06: None,
        0x01: None,
    }
    card = decode_card(values)
    assert (card.name, card.sex, card.nation) == ("李四", "2", "11")
    assert card.birth_date is None and card.issue_date is None and card.expiry_date is None
    assert card.card_id_code == "" and card.to_json()["region_code"] is None


@pytest.mark.parametrize("tag", [0x07, 0x08, 0x09])
def test_missing_required_field(tag: int) -> None:
    values: dict[int, bytes | None] = {0x07: b"TEST00001", 0x08: b"11010519491231002X", 0x09: b"\xd5\xc5"}
    values[tag] = b"\x00" * 9
    with pytest.raises(CardDataError, match=f"record {tag:02X}"):
        decode_card(values)


def test_no_personal_data_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    person = Person()
    read(CardProfile(person=person, t0=True, record_numbering="index"))
    assert "APDU" in caplog.text  # the trace is there ...
    for secret in (person.name, person.id_number, person.card_number, person.birth_date):
        assert secret not in caplog.text  # ... without the card's data
