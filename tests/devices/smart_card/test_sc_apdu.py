"""APDU encoding, status words and the T=0 61xx / 6Cxx handling of ApduChannel."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.id_card.id_number import check_digit as check_character
from devices.id_card.id_number import is_valid_id_number
from devices.id_card.id_number import with_check_digit as with_check_character
from devices.model import ResultCode
from devices.smart_card.apdu import ApduChannel, Command, Response, describe_sw
from devices.smart_card.errors import CardDataError
from devices.smart_card.ssse import SSSE_AID
from devices.smart_card.virtual_card import CardProfile, Quirk, VirtualSsseCard


class CardTransport:
    """The in-process path: raw APDUs to a VirtualSsseCard."""

    def __init__(self, card: VirtualSsseCard) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> bytes:
        answer = self.card.process(apdu)
        assert answer is not None
        return answer


class Scripted:
    """A card that answers from a list, for sequences no sane card produces."""

    def __init__(self, *answers: str) -> None:
        self.answers = [bytes.fromhex(a) for a in answers]
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.answers.pop(0) if self.answers else bytes.fromhex("6F00")


@pytest.mark.parametrize(
    ("command", "raw"),
    [
        (Command(0x00, 0xA4, 0x04, 0x00, SSSE_AID), "00A404000F" + SSSE_AID.hex().upper()),
        (Command(0x00, 0xB2, 0x07, 0x04, le=11), "00B207040B"),
        (Command(0x00, 0xC0, 0x00, 0x00, le=256), "00C0000000"),
        (Command(0x00, 0xA4, 0x02, 0x00, b"\xef\x05", le=256), "00A4020002EF0500"),
        (Command(0x80, 0xCA, 0x9F, 0x7F), "80CA9F7F"),
    ],
)
def test_command_round_trip(command: Command, raw: str) -> None:
    assert command.to_bytes().hex().upper() == raw
    assert Command.parse(bytes.fromhex(raw)) == command


@pytest.mark.parametrize("raw", ["00A404", "00A404000F7378", "00A4040000000102", "00A40400020102030405"])
def test_malformed_command_is_rejected(raw: str) -> None:
    with pytest.raises(ValueError):
        Command.parse(bytes.fromhex(raw))


def test_command_field_ranges() -> None:
    with pytest.raises(ValueError):
        Command(0x00, 0x1B2, 0, 0)
    with pytest.raises(ValueError):
        Command(0x00, 0xB2, 0, 0, le=0)
    with pytest.raises(ValueError):
        Command(0x00, 0xD6, 0, 0, bytes(256))


@pytest.mark.parametrize("raw", ["", "90"])
def test_response_shorter_than_status_word(raw: str) -> None:
    with pytest.raises(CardDataError) as info:
        Response.parse(bytes.fromhex(raw))
    assert info.value.code == ResultCode.INVALID_DATA


def test_describe_sw() -> None:
    assert describe_sw(0x6A82) == "6A82 file or application not found"
    assert describe_sw(0x6110).startswith("6110 16 more bytes")
    assert describe_sw(0x6C0B).startswith("6C0B wrong Le, exact length is 11")
    assert describe_sw(0x63C2).endswith("2 tries left")


def test_t0_select_goes_through_get_response_in_chunks() -> None:
    card = VirtualSsseCard(CardProfile(t0=True, get_response_chunk=5))
    channel = ApduChannel(CardTransport(card))
    response = channel.send(Command(0x00, 0xA4, 0x04, 0x00, SSSE_AID))
    assert response.ok
    assert response.data[:2] == b"\x6f\x11" and SSSE_AID in response.data
    get_responses = [c for c in card.commands if c[1] == 0xC0]
    assert len(get_responses) == 4  # 19 bytes of FCI in chunks of 5
    assert get_responses[0] == bytes.fromhex("00C0000013")


def test_wrong_le_is_resent_with_the_exact_length() -> None:
    card = VirtualSsseCard(CardProfile(t0=True))
    channel = ApduChannel(CardTransport(card))
    channel.send(Command(0x00, 0xA4, 0x04, 0x00, SSSE_AID))
    channel.send(Command(0x00, 0xA4, 0x02, 0x00, b"\xef\x05"))
    response = channel.send(Command(0x00, 0xB2, 0x07, 0x04, le=256))
    assert response.ok and response.data == b"\x07\x09TEST00001"
    assert card.commands[-2:] == [bytes.fromhex("00B2070400"), bytes.fromhex("00B207040B")]


def test_endless_61xx_ends_in_a_defined_error() -> None:
    card = VirtualSsseCard(CardProfile(t0=True, quirk=Quirk.ENDLESS_61))
    channel = ApduChannel(CardTransport(card), max_chain=8)
    with pytest.raises(CardDataError, match="61xx"):
        channel.send(Command(0x00, 0xA4, 0x04, 0x00, SSSE_AID))
    assert len(card.commands) == 1 + 8


def test_oversized_chained_response_is_refused() -> None:
    transport = Scripted("6110", *(["AA" * 255 + "61FF"] * 5))
    with pytest.raises(CardDataError, match="longer than"):
        ApduChannel(transport, max_data=1000).send(Command(0x00, 0xB0, 0, 0, le=256))


def test_get_response_answering_6cxx_is_resent() -> None:
    transport = Scripted("6120", "6C04", "01020304" + "9000")
    response = ApduChannel(transport).send(Command(0x00, 0xA4, 0x04, 0x00, b"\x01"))
    assert response.data == bytes.fromhex("01020304") and response.ok
    assert transport.sent[1:] == [bytes.fromhex("00C0000020"), bytes.fromhex("00C0000004")]


def test_gb11643_known_numbers() -> None:
    # The worked example of GB 11643-1999 (Beijing, 1949-12-31, sequence 002) ends in X.
    assert check_character("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("11010519491331002X")  # month 13
    assert not is_valid_id_number("1101051949123100")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_gb11643_detects_every_single_digit_error(first17: str, position: int, delta: int) -> None:
    number = with_check_character(first17)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert check_character(changed[:17]) != number[17]
