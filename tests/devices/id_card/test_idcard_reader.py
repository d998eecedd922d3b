"""SamSerialReader against the byte-level emulator on a real pty: reads, debounce, faults, unplug."""

from __future__ import annotations

import time

import pytest

from devices.id_card.frames import (
    ChecksumError,
    FrameTimeout,
    GarbageError,
    LengthError,
    SamStatusError,
    TruncatedFrame,
)
from devices.id_card.protocol import FIND_CARD, READ_BASE, SAM_STATUS, SELECT_CARD
from devices.id_card.samples import SAMPLE_KEYS, sample_card
from devices.id_card.simulator import Fault
from devices.model import Availability, DeviceError, DeviceUnavailable, EventKind, MediaState, ResultCode


def online(e):
    return e.status.availability == Availability.ONLINE


def wait_finds(emulator, more: int, timeout: float = 3.0) -> None:
    """Wait until the reader has sent ``more`` further find commands."""
    target = emulator.count(FIND_CARD) + more
    deadline = time.monotonic() + timeout
    while emulator.count(FIND_CARD) < target:
        assert time.monotonic() < deadline, "the reader stopped polling"
        time.sleep(0.01)


def test_reads_every_card_type_once_per_placement(emulator, make_reader):
    reader, rec = make_reader()
    rec.wait_for(online)
    assert reader.info.serial == "05.01-20101103-000123456-987654321"
    assert reader.info.backend == "sam-serial"
    for key in SAMPLE_KEYS:
        since = rec.mark()
        emulator.place_card(sample_card(key))
        inserted = rec.wait_for(EventKind.MEDIA_INSERTED, since=since)
        assert inserted.status.media == MediaState.PRESENT
        data = rec.wait_for(EventKind.DATA_READ, since=since)
        assert data.data == sample_card(key)
        assert data.data.photo_wlt == sample_card(key).photo_wlt
        emulator.remove_card()
        removed = rec.wait_for(EventKind.MEDIA_REMOVED, since=since)
        assert removed.status.media == MediaState.NOT_PRESENT
        assert len(rec.of(EventKind.DATA_READ, since)) == 1


def test_debounce_no_second_read_until_the_card_leaves(emulator, make_reader):
    reader, rec = make_reader()
    rec.wait_for(online)
    emulator.place_card(sample_card("resident"))
    rec.wait_for(EventKind.DATA_READ)
    wait_finds(emulator, 10)  # the card stays in the field for 10 more polls
    assert len(rec.of(EventKind.DATA_READ)) == 1
    assert emulator.count(READ_BASE) == 1
    assert reader.status.media == MediaState.PRESENT
    emulator.remove_card()
    rec.wait_for(EventKind.MEDIA_REMOVED)
    since = rec.mark()
    emulator.place_card(sample_card("resident"))
    rec.wait_for(EventKind.DATA_READ, since=since)
    assert emulator.count(READ_BASE) == 2


def test_one_failed_find_is_not_a_removal(emulator, make_reader):
    _, rec = make_reader(removal_misses=3)
    emulator.place_card(sample_card("resident"))
    rec.wait_for(EventKind.DATA_READ)
    emulator.inject(Fault.STATUS, command=FIND_CARD, status=0x80, times=2)
    wait_finds(emulator, 2 + 5)  # well past the two 'no card' answers
    assert rec.of(EventKind.MEDIA_REMOVED) == []
    assert len(rec.of(EventKind.MEDIA_INSERTED)) == 1


@pytest.mark.parametrize(
    ("fault", "error", "code"),
    [
        (Fault.GARBAGE, GarbageError, ResultCode.INVALID_DATA),
        (Fault.TRUNCATED, TruncatedFrame, ResultCode.INVALID_DATA),
        (Fault.BAD_CHECKSUM, ChecksumError, ResultCode.INVALID_DATA),
        (Fault.WRONG_LENGTH, LengthError, ResultCode.INVALID_DATA),
        (Fault.BAD_LEN_FIELD, LengthError, ResultCode.INVALID_DATA),
        (Fault.SILENCE, FrameTimeout, ResultCode.TIMEOUT),
        (Fault.STATUS, SamStatusError, ResultCode.USER_ERROR),
    ],
)
def test_faults_in_the_read_reply_give_defined_errors_within_the_deadline(
    emulator, make_reader, fault, error, code
):
    reader, rec = make_reader(auto_read=False)
    rec.wait_for(online)
    emulator.place_card(sample_card("resident"))
    emulator.inject(fault, command=READ_BASE)
    started = time.monotonic()
    with pytest.raises(error) as err:
        reader.read_once(timeout=1.0)
    assert time.monotonic() - started < 0.5 + 0.3  # read_timeout + slack
    assert err.value.code == code
    assert "read card" in err.value.detail
    # the reader recovers: the next read works
    assert reader.read_once(timeout=1.0) == sample_card("resident")
    assert reader.status.availability == Availability.ONLINE


@pytest.mark.parametrize("command", [FIND_CARD, SELECT_CARD])
def test_bad_checksum_in_short_replies(emulator, make_reader, command):
    reader, rec = make_reader(auto_read=False)
    rec.wait_for(online)
    emulator.place_card(sample_card("resident"))
    emulator.inject(Fault.BAD_CHECKSUM, command=command)
    with pytest.raises(ChecksumError):
        reader.read_once(timeout=1.0)


def test_garbage_before_a_reply_is_skipped(emulator, make_reader):
    reader, rec = make_reader(auto_read=False)
    rec.wait_for(online)
    emulator.place_card(sample_card("hmt-permit"))
    emulator.inject(Fault.GARBAGE_PREFIX, command=READ_BASE)
    emulator.inject(Fault.GARBAGE_PREFIX, command=FIND_CARD, times=3)
    assert reader.read_once(timeout=1.0) == sample_card("hmt-permit")


def test_failed_read_in_the_poll_loop_is_an_error_event_then_retried(emulator, make_reader):
    _, rec = make_reader()
    rec.wait_for(online)
    emulator.inject(Fault.STATUS, command=READ_BASE, status=0x41)
    emulator.place_card(sample_card("foreigner"))
    err = rec.wait_for(EventKind.ERROR)
    assert isinstance(err.data, SamStatusError) and err.data.status.code == 0x41
    assert rec.wait_for(EventKind.DATA_READ).data == sample_card("foreigner")
    assert len(rec.of(EventKind.DATA_READ)) == 1


def test_gives_up_after_read_attempts_until_removal(emulator, make_reader):
    _, rec = make_reader(read_attempts=2)
    emulator.inject(Fault.STATUS, command=READ_BASE, status=0x32, times=100)
    emulator.place_card(sample_card("resident"))
    rec.wait_count(EventKind.ERROR, 2)
    wait_finds(emulator, 5)
    assert emulator.count(READ_BASE) == 2
    assert all(e.data.code == ResultCode.INVALID_DATA for e in rec.of(EventKind.ERROR))


def test_no_card_is_no_media_within_the_timeout(emulator, make_reader):
    reader, rec = make_reader(auto_read=False)
    rec.wait_for(online)
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        reader.read_once(timeout=0.3)
    assert err.value.code == ResultCode.NO_MEDIA
    assert 0.3 <= time.monotonic() - started < 0.8


def test_silent_reader_goes_power_off_and_comes_back(emulator, make_reader):
    reader, rec = make_reader()
    rec.wait_for(online)
    emulator.inject(Fault.SILENCE, times=10_000)
    timeout_event = rec.wait_for(EventKind.ERROR)
    assert isinstance(timeout_event.data, FrameTimeout)
    rec.wait_for(lambda e: e.status.availability == Availability.POWER_OFF, timeout=3)
    assert "not answering" in reader.status.detail or "no SAM reader" in reader.status.detail
    since = rec.mark()
    emulator.clear_faults()
    rec.wait_for(online, since=since)


def test_continuous_garbage_is_hardware_error_then_recovers(emulator, make_reader):
    reader, rec = make_reader(error_threshold=2)
    rec.wait_for(online)
    emulator.inject(Fault.GARBAGE, command=FIND_CARD, times=10_000)
    rec.wait_for(lambda e: e.status.availability == Availability.HARDWARE_ERROR)
    assert "without a frame preamble" in reader.status.detail
    errors_so_far = len(rec.of(EventKind.ERROR))
    assert errors_so_far <= 2  # no flood of ERROR events while the state says it
    since = rec.mark()
    emulator.clear_faults()
    rec.wait_for(online, since=since)


def test_sam_fault_on_open_is_hardware_error_not_power_off(emulator, make_reader):
    emulator.inject(Fault.STATUS, command=SAM_STATUS, status=0x60, times=10_000)
    reader, rec = make_reader()
    first = rec.wait_for(lambda e: e.status.availability != Availability.UNKNOWN)
    assert first.status.availability == Availability.HARDWARE_ERROR
    assert "0x60" in reader.status.detail
    with pytest.raises(DeviceUnavailable):
        reader.read_once(timeout=0.2)
    emulator.clear_faults()
    rec.wait_for(online)


@pytest.mark.parametrize("remove_link", [True, False], ids=["port-vanishes", "io-error"])
def test_unplug_is_power_off_and_replug_comes_back(emulator, make_reader, remove_link):
    reader, rec = make_reader()
    rec.wait_for(online)
    emulator.place_card(sample_card("resident"))
    rec.wait_for(EventKind.DATA_READ)
    since = rec.mark()
    emulator.unplug(remove_link=remove_link)
    off = rec.wait_for(lambda e: e.status.availability == Availability.POWER_OFF, since=since)
    assert off.status.media == MediaState.UNKNOWN
    with pytest.raises(DeviceUnavailable):
        reader.read_once(timeout=0.5)
    time.sleep(0.2)  # a few reconnect attempts fail while unplugged
    assert reader.status.availability == Availability.POWER_OFF
    since = rec.mark()
    emulator.replug()
    rec.wait_for(online, since=since)
    assert reader.info.serial == "05.01-20101103-000123456-987654321"
    assert rec.wait_for(EventKind.DATA_READ, since=since).data == sample_card("resident")


def test_missing_port_fails_fast_with_a_clear_message(tmp_path):
    from devices.id_card.reader import SamSerialReader

    reader = SamSerialReader(str(tmp_path / "ttyUSB9"), poll_interval=0.03)
    reader.start()
    try:
        started = time.monotonic()
        with pytest.raises(DeviceUnavailable) as err:
            reader.read_once(timeout=2.0)
        assert time.monotonic() - started < 1.0
        assert "not found" in err.value.detail
        assert reader.status.availability == Availability.POWER_OFF
    finally:
        reader.stop()


def test_stop_is_prompt_even_while_the_reader_is_silent(emulator, make_reader):
    reader, rec = make_reader()
    rec.wait_for(online)
    emulator.inject(Fault.SILENCE, times=10_000)
    time.sleep(0.1)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0


def test_a_second_user_of_the_port_gets_a_clear_busy_error(emulator, make_reader):
    from devices.id_card.cli import read_card

    _, rec = make_reader()
    rec.wait_for(online)
    with pytest.raises(DeviceUnavailable, match="in use by another process"):
        read_card(emulator.port, timeout=0.5)
