"""PcscCardReader against a real pcscd, the vpcd virtual reader and our virtual card on its socket."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from sc_events import EventLog
from sc_pcscd import PORT_0, PORT_1, READER_0, READER_1, Pcscd

from devices.base import Backoff
from devices.model import Availability, EventKind, MediaState, ResultCode
from devices.smart_card import cli
from devices.smart_card.errors import (
    CardDataError,
    CardTimeout,
    NoCard,
    NoReader,
    NotSocialSecurityCard,
    PinRequired,
)
from devices.smart_card.reader import PcscCardReader
from devices.smart_card.ssse import EF06
from devices.smart_card.virtual_card import CardProfile, Person, Quirk, VirtualSsseCard, VpcdCard

pytestmark = pytest.mark.pcsc

SECOND = Person(name="李四", id_number="44030419851122204" + "6", sex="2", card_number="TEST00002")

InsertCard = Callable[..., VpcdCard]
MakeReader = Callable[..., PcscCardReader]


@pytest.fixture
def insert(pcscd: Pcscd) -> Iterator[InsertCard]:
    cards: list[VpcdCard] = []

    def _insert(profile: CardProfile | None = None, port: int = PORT_0) -> VpcdCard:
        card = VpcdCard(VirtualSsseCard(profile or CardProfile()), port=port).insert()
        cards.append(card)
        return card

    yield _insert
    for card in cards:
        card.remove()


@pytest.fixture
def make_reader(pcscd: Pcscd, events: EventLog) -> Iterator[MakeReader]:
    readers: list[PcscCardReader] = []

    def _make(reader: str | None = "00 00", **kwargs: object) -> PcscCardReader:
        kwargs.setdefault("backoff", Backoff(base=0.1, cap=0.5))
        kwargs.setdefault("apdu_timeout", 2.0)
        adapter = PcscCardReader(reader=reader, **kwargs)  # type: ignore[arg-type]
        adapter.add_listener(events)
        adapter.start()
        readers.append(adapter)
        events.wait_for(EventKind.STATUS_CHANGED)  # opened and observed once
        return adapter

    yield _make
    for adapter in readers:
        adapter.stop()


def test_reads_every_field_through_pcscd(make_reader: MakeReader, insert: InsertCard) -> None:
    reader = make_reader(auto_read=False)
    virtual = insert().card
    card = reader.read_once(timeout=5)
    assert card.card_number == "TEST00001" and card.name == "张三" and card.id_number_valid
    assert card.sex == "1" and card.nation == "01" and card.birth_date is not None
    assert card.issue_date is not None and card.expiry_date is not None and card.card_id_code
    assert card.atr == virtual.atr
    assert reader.info.model == READER_0 and reader.info.backend == "pcsc"
    assert reader.last_protocol == "T=1"
    assert virtual.verify_count == 0


def test_t0_card_get_response_over_pcsc(make_reader: MakeReader, insert: InsertCard) -> None:
    reader = make_reader(auto_read=False)
    virtual = insert(CardProfile(t0=True, get_response_chunk=8)).card
    card = reader.read_once(timeout=5)
    assert card.name == "张三" and card.id_number_valid
    assert reader.last_protocol == "T=0"
    get_responses = [c for c in virtual.commands if c[1] == 0xC0]
    assert len(get_responses) >= 3  # the 19-byte FCI in chunks of 8
    assert any(c[1] == 0xB2 and c[4] == 0x00 for c in virtual.commands) is False


def test_insertion_and_removal_events(make_reader: MakeReader, insert: InsertCard, events: EventLog) -> None:
    reader = make_reader()
    assert reader.status.media == MediaState.NOT_PRESENT
    started = time.monotonic()
    card = insert()
    events.wait_for(EventKind.MEDIA_INSERTED)
    read = events.wait_for(EventKind.DATA_READ)
    latency = time.monotonic() - started
    assert read.data.name == "张三"
    mark = events.mark()
    card.remove()
    removed = events.wait_for(EventKind.MEDIA_REMOVED, after=mark)
    assert removed.status.media == MediaState.NOT_PRESENT
    insert(CardProfile(person=SECOND))
    again = events.wait_for(EventKind.DATA_READ, after=mark)
    assert again.data.name == "李四"
    assert events.kinds().count(EventKind.MEDIA_INSERTED) == 2
    assert latency < 2.0, f"insertion to data took {latency:.2f} s"


def test_reader_chosen_by_name_substring(make_reader: MakeReader, insert: InsertCard) -> None:
    insert(CardProfile())  # a different card in the first reader
    insert(CardProfile(person=SECOND), port=PORT_1)
    reader = make_reader("pcd 00 01", auto_read=False)
    assert reader.info.model == READER_1
    assert reader.read_once(timeout=5).name == "李四"


def test_no_matching_reader(make_reader: MakeReader) -> None:
    reader = make_reader("Acme Contact Reader", auto_read=False)
    assert reader.status.availability == Availability.POWER_OFF
    assert "Acme Contact Reader" in reader.status.detail and READER_0 in reader.status.detail
    with pytest.raises(NoReader) as info:
        reader.read_once(timeout=1)
    assert info.value.code == ResultCode.DEVICE_NOT_READY


def test_no_card(make_reader: MakeReader) -> None:
    reader = make_reader(auto_read=False)
    with pytest.raises(NoCard):
        reader.read_once(timeout=0.3)


def test_pin_required(make_reader: MakeReader, insert: InsertCard, events: EventLog) -> None:
    reader = make_reader()
    virtual = insert(CardProfile(pin_files=frozenset({EF06}))).card
    error = events.wait_for(EventKind.ERROR)
    assert isinstance(error.data, PinRequired) and error.data.key == "smart_card.pin_required"
    with pytest.raises(PinRequired):
        reader.read_once(timeout=2)
    assert virtual.verify_count == 0


def test_unknown_card(make_reader: MakeReader, insert: InsertCard) -> None:
    reader = make_reader(auto_read=False)
    insert(CardProfile(has_ssse=False))
    with pytest.raises(NotSocialSecurityCard) as info:
        reader.read_once(timeout=5)
    assert info.value.code == ResultCode.UNSUPPORTED


@pytest.mark.parametrize("quirk", [Quirk.SHORT_ANSWER, Quirk.BAD_TLV, Quirk.WRONG_TAG])
def test_garbage_then_a_good_card(
    make_reader: MakeReader, insert: InsertCard, events: EventLog, quirk: Quirk
) -> None:
    reader = make_reader(auto_read=False)
    bad = insert(CardProfile(quirk=quirk))
    with pytest.raises(CardDataError):
        reader.read_once(timeout=5)
    assert reader.status.availability == Availability.ONLINE
    mark = events.mark()
    bad.remove()
    events.wait_for(EventKind.MEDIA_REMOVED, after=mark)
    insert()
    assert reader.read_once(timeout=5).name == "张三"


def test_mute_card_times_out_and_the_monitor_survives(
    make_reader: MakeReader, insert: InsertCard, events: EventLog
) -> None:
    reader = make_reader(auto_read=False, apdu_timeout=0.4)
    mute = insert(CardProfile(quirk=Quirk.MUTE))
    started = time.monotonic()
    with pytest.raises(CardTimeout):
        reader.read_once(timeout=5)
    assert time.monotonic() - started < 2.0
    with pytest.raises(CardTimeout, match="remove it"):  # fails fast while the card is still hung
        reader.read_once(timeout=5)
    mark = events.mark()
    mute.remove()
    events.wait_for(EventKind.MEDIA_REMOVED, after=mark)
    insert()
    assert reader.read_once(timeout=5).name == "张三"


def test_cli_read_card(pcscd: Pcscd, insert: InsertCard) -> None:
    insert(CardProfile(person=SECOND), port=PORT_1)
    assert cli.read_card("pcsc", "00 01", timeout=5).name == "李四"
    with pytest.raises(NoCard):
        cli.read_card("pcsc", "00 00", timeout=0.3)
    with pytest.raises(NoReader, match="no smart-card reader matching 'nonexistent'"):
        cli.read_card("pcsc", "nonexistent", timeout=0.3)
