"""GA 467 frames: literal vectors from the notes, resync, defined errors, deadlines, fuzzing."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.id_card import protocol
from devices.id_card.frames import (
    PREAMBLE,
    SW3_TABLE,
    ChecksumError,
    FrameDecoder,
    FrameError,
    FrameTimeout,
    GarbageError,
    LengthError,
    Response,
    SamStatusError,
    TruncatedFrame,
    checksum,
    encode_command,
    encode_frame,
    encode_response,
    expect,
    read_frame,
    sam_status,
)
from devices.model import DeviceError, ResultCode

H = bytes.fromhex


# ----- literal frames (device-layer.md §2.1) -----
@pytest.mark.parametrize(
    ("command", "frame"),
    [
        (protocol.RESET_SAM, "AAAAAA9669 0003 10FF EC"),
        (protocol.SAM_STATUS, "AAAAAA9669 0003 11FF ED"),
        (protocol.READ_SAM_ID, "AAAAAA9669 0003 12FF EE"),
        (protocol.FIND_CARD, "AAAAAA9669 0003 2001 22"),
        (protocol.SELECT_CARD, "AAAAAA9669 0003 2002 21"),
        (protocol.READ_BASE, "AAAAAA9669 0003 3001 32"),
        ((0x30, 0x10), "AAAAAA9669 0003 3010 23"),
        ((0x30, 0x03), "AAAAAA9669 0003 3003 30"),
    ],
)
def test_command_frames_match_the_published_bytes(command, frame):
    assert encode_command(*command) == H(frame)


def test_set_max_rf_frame_with_data_byte():
    assert encode_command(0x61, 0xFF, b"\x50") == H("AAAAAA9669 0004 61FF50 CA")


def test_checksum_example_and_no_card_reply():
    assert checksum(H("00032001")) == 0x22
    dec = FrameDecoder()
    dec.feed(H("AAAAAA9669 0004 000080 84"))
    assert Response.parse(dec.next_frame()) == Response(0, 0, 0x80, b"")


def test_read_reply_is_1295_bytes_with_len_0508():
    frame = encode_response(0x90, bytes(protocol.READ_BASE_DATA_LEN))
    assert len(frame) == 1295
    assert frame[5:7] == H("0508")


# ----- the incremental decoder -----
def test_byte_by_byte_feeding_and_garbage_before_preamble():
    frame = encode_response(0x9F, bytes(4))
    dec = FrameDecoder()
    stream = b"\x01\x02\xaa\xaa" + b"\x96" + frame  # partial preambles in the garbage
    bodies = []
    for b in stream:
        dec.feed(bytes([b]))
        body = dec.next_frame()
        if body is not None:
            bodies.append(body)
    assert bodies == [H("00009F") + bytes(4)]
    assert dec.discarded == 5
    assert dec.buffered == 0


def test_bad_checksum_raises_then_the_next_frame_decodes():
    good = encode_response(0x90)
    bad = good[:-1] + bytes([good[-1] ^ 1])
    dec = FrameDecoder()
    dec.feed(bad + good)
    with pytest.raises(ChecksumError) as err:
        dec.next_frame()
    assert err.value.code == ResultCode.INVALID_DATA
    assert dec.next_frame() == H("000090")


@pytest.mark.parametrize("length", [0, 1, 2, 0x1001, 0xFFFF])
def test_len_out_of_range_raises_and_resyncs(length):
    good = encode_response(0x90)
    dec = FrameDecoder()
    dec.feed(PREAMBLE + length.to_bytes(2, "big") + b"\x00" * 8 + good)
    with pytest.raises(LengthError):
        dec.next_frame()
    assert dec.next_frame() == H("000090")


def test_frame_body_with_embedded_preamble_bytes_is_decoded_by_length():
    body = b"\x00\x00\x90" + PREAMBLE * 3
    dec = FrameDecoder()
    dec.feed(encode_frame(body))
    assert dec.next_frame() == body


class ScriptedSource:
    """A byte source with a fake clock: each read 'blocks' for its timeout when it has nothing."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.now = 0.0
        self.reads = 0

    def clock(self) -> float:
        return self.now

    def read(self, n: int, timeout: float) -> bytes:
        self.reads += 1
        if self.chunks:
            chunk = self.chunks.pop(0)
            self.chunks[:0] = [chunk[n:]] if len(chunk) > n else []
            return chunk[:n]
        self.now += timeout
        return b""


@pytest.mark.parametrize(
    ("chunks", "error", "code"),
    [
        ([], FrameTimeout, ResultCode.TIMEOUT),
        ([b"\x01\x02\x03" * 10], GarbageError, ResultCode.INVALID_DATA),
        ([encode_response(0x90, bytes(8))[:9]], TruncatedFrame, ResultCode.INVALID_DATA),
        ([PREAMBLE[:3]], GarbageError, ResultCode.INVALID_DATA),
    ],
)
def test_read_frame_deadline_errors(chunks, error, code):
    src = ScriptedSource(chunks)
    with pytest.raises(error) as err:
        read_frame(src.read, FrameDecoder(), 1.0, what="find card", clock=src.clock)
    assert err.value.code == code
    assert "find card" in err.value.detail
    assert src.now <= 1.0 + 0.05  # never waited past the deadline (+ one slice)


def test_read_frame_returns_a_frame_split_over_reads_and_honours_cancel():
    frame = encode_response(0x90, b"xyz")
    src = ScriptedSource([frame[:3], frame[3:9], frame[9:]])
    assert read_frame(src.read, FrameDecoder(), 1.0, clock=src.clock) == b"\x00\x00\x90xyz"
    with pytest.raises(DeviceError) as err:
        read_frame(ScriptedSource([]).read, FrameDecoder(), 1.0, cancelled=lambda: True)
    assert err.value.code == ResultCode.CANCELLED


# ----- status table -----
def test_status_table_has_every_published_code():
    codes = {
        0x90,
        0x91,
        0x9F,
        0x10,
        0x11,
        0x21,
        0x23,
        0x24,
        0x31,
        0x32,
        0x33,
        0x40,
        0x41,
        0x47,
        0x60,
        0x66,
        0x80,
        0x81,
    }
    assert set(SW3_TABLE) == codes
    for status in SW3_TABLE.values():
        assert status.zh and status.en and isinstance(status.result, ResultCode)
    assert sam_status(0x90).result == sam_status(0x9F).result == ResultCode.SUCCESS
    assert sam_status(0x80).result == ResultCode.NO_MEDIA
    assert sam_status(0x60).result == ResultCode.HARDWARE_ERROR
    assert sam_status(0x41).zh == "读证/卡操作失败"
    assert sam_status(0x77).result == ResultCode.HARDWARE_ERROR  # unknown code: defined, not a crash


def test_expect_raises_status_error_with_description():
    with pytest.raises(SamStatusError) as err:
        expect(Response(0, 0, 0x41, b""), 0x90, "read card")
    assert err.value.code == ResultCode.USER_ERROR
    assert "0x41" in err.value.detail and "read card" in err.value.detail
    with pytest.raises(SamStatusError):
        expect(Response(0x6A, 0x82, 0x90, b""), 0x90, "x")  # SW1/SW2 not 00 00
    assert expect(Response(0, 0, 0x90, b"ok"), 0x90, "x").data == b"ok"


# ----- fuzzing -----
_FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(data=st.binary(max_size=3000), cuts=st.lists(st.integers(1, 400), max_size=20))
def test_fuzz_decoder_only_raises_frame_errors_and_terminates(data, cuts):
    dec = FrameDecoder()
    pos = 0
    for cut in [*cuts, len(data)]:
        dec.feed(data[pos : pos + cut])
        pos += cut
        for _ in range(len(data) + 2):  # each step consumes bytes or stops: bounded
            try:
                if dec.next_frame() is None:
                    break
            except FrameError:
                continue
        else:
            pytest.fail("decoder did not make progress")


_garbage = st.binary(max_size=40).map(lambda b: b.replace(b"\xaa", b"\x55"))
_body = st.binary(min_size=3, max_size=300)


@_FUZZ
@given(parts=st.lists(st.tuples(_garbage, _body), max_size=8), chunk=st.integers(1, 64))
def test_fuzz_frames_in_garbage_are_all_recovered(parts, chunk):
    stream = b"".join(g + encode_frame(b) for g, b in parts)
    dec = FrameDecoder()
    got = []
    for i in range(0, len(stream), chunk):
        dec.feed(stream[i : i + chunk])
        while (body := dec.next_frame()) is not None:
            got.append(body)
    assert got == [b for _, b in parts]


@_FUZZ
@given(chunks=st.lists(st.binary(max_size=200), max_size=10))
def test_fuzz_read_frame_returns_or_raises_a_defined_error_by_the_deadline(chunks):
    src = ScriptedSource(chunks)
    with contextlib.suppress(FrameError):
        read_frame(src.read, FrameDecoder(), 0.2, clock=src.clock)
    assert src.now <= 0.2 + 0.05
    assert src.reads <= sum(len(c) for c in chunks) + 10
