"""The ``simulator`` backend: the adapter's events, read_once, cancel and the CLI helper, no pcscd."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sc_events import EventLog

from devices.model import Availability, DeviceError, EventKind, MediaState, ResultCode
from devices.smart_card import cli
from devices.smart_card.errors import CardTimeout, NoCard, NoReader, PinRequired
from devices.smart_card.simulator import SimulatedCardReader
from devices.smart_card.ssse import EF06, SocialSecurityCard
from devices.smart_card.virtual_card import CardProfile, Quirk, VirtualSsseCard


@pytest.fixture
def reader(events: EventLog) -> Iterator[SimulatedCardReader]:
    adapter = SimulatedCardReader()
    adapter.add_listener(events)
    adapter.start()
    yield adapter
    adapter.stop()


def test_insert_read_remove(reader: SimulatedCardReader, events: EventLog) -> None:
    events.wait_for(EventKind.STATUS_CHANGED, where=lambda e: e.status.media == MediaState.NOT_PRESENT)
    assert reader.info.backend == "simulator" and reader.status.availability == Availability.ONLINE
    reader.insert()
    inserted = events.wait_for(EventKind.MEDIA_INSERTED)
    assert inserted.status.media == MediaState.PRESENT
    data = events.wait_for(EventKind.DATA_READ)
    assert isinstance(data.data, SocialSecurityCard) and data.data.name == "张三"
    mark = events.mark()
    reader.remove()
    removed = events.wait_for(EventKind.MEDIA_REMOVED, after=mark)
    assert removed.status.media == MediaState.NOT_PRESENT
    kinds = events.kinds()
    assert kinds.count(EventKind.DATA_READ) == 1  # once per insertion
    busy = [e for e in events.events if e.status.availability == Availability.BUSY]
    assert busy, "the reader reports BUSY while it reads"


def test_auto_read_failure_is_an_error_event(reader: SimulatedCardReader, events: EventLog) -> None:
    reader.insert(VirtualSsseCard(CardProfile(pin_files=frozenset({EF06}))))
    error = events.wait_for(EventKind.ERROR)
    assert isinstance(error.data, PinRequired)
    assert reader.status.availability == Availability.ONLINE  # a card problem is not a device problem


def test_read_once_waits_for_a_card(reader: SimulatedCardReader) -> None:
    future, _token = reader.begin_read(timeout=5)
    time.sleep(0.1)
    assert not future.done()
    reader.insert()
    assert future.result(5).card_number == "TEST00001"


def test_read_once_without_card_times_out_with_no_media(reader: SimulatedCardReader) -> None:
    started = time.monotonic()
    with pytest.raises(NoCard) as info:
        reader.read_once(timeout=0.4)
    assert 0.35 < time.monotonic() - started < 2.0
    assert info.value.code == ResultCode.NO_MEDIA


def test_cancel_a_waiting_read(reader: SimulatedCardReader) -> None:
    future, token = reader.begin_read(timeout=30)
    time.sleep(0.1)
    started = time.monotonic()
    token.cancel()
    with pytest.raises(DeviceError) as info:
        future.result(2)
    assert info.value.code == ResultCode.CANCELLED
    assert time.monotonic() - started < 1.0


def test_mute_card_is_a_timeout_not_a_hang(reader: SimulatedCardReader, events: EventLog) -> None:
    reader.insert(VirtualSsseCard(CardProfile(quirk=Quirk.MUTE)))
    assert isinstance(events.wait_for(EventKind.ERROR).data, CardTimeout)


def test_unplugged_reader(reader: SimulatedCardReader, events: EventLog) -> None:
    reader.unplug()
    off = events.wait_for(
        EventKind.STATUS_CHANGED, where=lambda e: e.status.availability == Availability.POWER_OFF
    )
    assert off.status.media == MediaState.UNKNOWN
    with pytest.raises(NoReader):
        reader.read_once(timeout=1)
    reader.plug()
    events.wait_for(EventKind.STATUS_CHANGED, where=lambda e: e.status.availability == Availability.ONLINE)
    reader.insert()
    assert reader.read_once(timeout=2).name == "张三"


def test_stop_is_prompt(events: EventLog) -> None:
    adapter = SimulatedCardReader(wait_slice=10.0)
    adapter.start()
    time.sleep(0.1)
    started = time.monotonic()
    adapter.stop()
    assert time.monotonic() - started < 1.0


def test_cli_read_card_simulator() -> None:
    card = cli.read_card("simulator", timeout=2)
    assert card.to_json()["name"] == "张三" and card.id_number_valid


def test_cli_unknown_backend() -> None:
    with pytest.raises(DeviceError) as info:
        cli.read_card("serial")
    assert info.value.code == ResultCode.UNSUPPORTED and "pcsc" in info.value.detail
