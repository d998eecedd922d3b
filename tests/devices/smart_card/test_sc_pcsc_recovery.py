"""The monitor survives pcscd being killed and restarted, and readers appearing and disappearing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sc_events import EventLog
from sc_pcscd import READER_0, Pcscd

from devices.base import Backoff
from devices.model import Availability, DeviceEvent, DeviceUnavailable, EventKind, MediaState
from devices.smart_card import cli
from devices.smart_card.reader import PcscCardReader
from devices.smart_card.virtual_card import CardProfile, Person, VirtualSsseCard, VpcdCard

pytestmark = pytest.mark.pcsc

SECOND = Person(name="李四", id_number="44030419851122204" + "6", sex="2", card_number="TEST00002")


def powered_off(event: DeviceEvent) -> bool:
    return event.status.availability == Availability.POWER_OFF


def online(event: DeviceEvent) -> bool:
    return event.status.availability == Availability.ONLINE


@pytest.fixture
def reader(pcscd: Pcscd, events: EventLog) -> Iterator[PcscCardReader]:
    adapter = PcscCardReader(reader="Virtual PCD 00 00", backoff=Backoff(base=0.1, cap=0.4), apdu_timeout=2.0)
    adapter.add_listener(events)
    adapter.start()
    events.wait_for(EventKind.STATUS_CHANGED, where=online)
    yield adapter
    adapter.stop()


def test_pcscd_killed_and_restarted(pcscd: Pcscd, reader: PcscCardReader, events: EventLog) -> None:
    first = VpcdCard(VirtualSsseCard(CardProfile())).insert()
    assert events.wait_for(EventKind.DATA_READ).data.name == "张三"

    mark = events.mark()
    pcscd.kill()  # SIGKILL, as in a crash
    off = events.wait_for(EventKind.STATUS_CHANGED, where=powered_off, after=mark)
    assert off.status.media == MediaState.UNKNOWN
    assert "PC/SC service" in off.status.detail
    first.removed.wait(2)  # vpcd's socket died with pcscd
    with pytest.raises(DeviceUnavailable):
        reader.read_once(timeout=1)

    mark = events.mark()
    restarted = time.monotonic()
    pcscd.start()
    back = events.wait_for(EventKind.STATUS_CHANGED, where=online, after=mark, timeout=5)
    recovery = time.monotonic() - restarted
    assert back.status.media == MediaState.NOT_PRESENT
    assert reader.info.model == READER_0

    with VpcdCard(VirtualSsseCard(CardProfile(person=SECOND))):
        events.wait_for(EventKind.MEDIA_INSERTED, after=mark)
        assert events.wait_for(EventKind.DATA_READ, after=mark).data.name == "李四"
    assert recovery < 2.0, f"reconnect took {recovery:.2f} s"


def test_card_already_in_the_reader_at_start_is_read(pcscd: Pcscd, events: EventLog) -> None:
    """What a reconnect after a service restart sees too: a present card counts as inserted."""
    with VpcdCard(VirtualSsseCard(CardProfile())) as card:
        deadline = time.monotonic() + 3
        while card.atr_requests == 0 and time.monotonic() < deadline:
            time.sleep(0.02)  # until pcscd has powered the card
        adapter = PcscCardReader(reader="00 00", backoff=Backoff(base=0.1, cap=0.4))
        adapter.add_listener(events)
        adapter.start()
        try:
            assert events.wait_for(EventKind.DATA_READ).data.name == "张三"
            assert events.kinds()[0] == EventKind.MEDIA_INSERTED
        finally:
            adapter.stop()


def test_reader_appears_and_disappears(
    pcscd: Pcscd, reader: PcscCardReader, events: EventLog, tmp_path: Path
) -> None:
    empty = tmp_path / "reader.conf.d"
    empty.mkdir()
    mark = events.mark()
    pcscd.restart(config_dir=empty)  # a pcscd with no reader at all
    gone = events.wait_for(
        EventKind.STATUS_CHANGED,
        where=lambda e: powered_off(e) and "no smart-card reader" in e.status.detail,
        after=mark,
        timeout=5,
    )
    assert "readers: none" in gone.status.detail
    mark = events.mark()
    pcscd.restart()  # the vpcd readers come back
    events.wait_for(EventKind.STATUS_CHANGED, where=online, after=mark, timeout=5)
    with VpcdCard(VirtualSsseCard(CardProfile())):
        assert events.wait_for(EventKind.DATA_READ, after=mark).data.name == "张三"


def test_cli_without_service_fails_fast(pcscd: Pcscd) -> None:
    pcscd.kill()
    started = time.monotonic()
    with pytest.raises(DeviceUnavailable, match="PC/SC service not available"):
        cli.read_card("pcsc", timeout=5)
    assert time.monotonic() - started < 2.0
