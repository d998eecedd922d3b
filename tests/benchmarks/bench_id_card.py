"""ID-card reader micro/latency benchmarks (emulator on a real pty). Prints a table."""

import statistics
import threading
import time

from devices.id_card.cli import read_card
from devices.id_card.frames import FrameDecoder, encode_response
from devices.id_card.protocol import READ_BASE_DATA_LEN
from devices.id_card.reader import SamSerialReader
from devices.id_card.samples import sample_card
from devices.id_card.simulator import SamReaderEmulator
from devices.id_card.text import decode_text_block, encode_text_block
from devices.model import Availability, EventKind


def timeit(fn, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), max(ts)


rows = []
frame = encode_response(0x90, bytes(READ_BASE_DATA_LEN))


def dec():
    d = FrameDecoder()
    d.feed(frame)
    assert d.next_frame()


rows.append(("decode 1295-byte frame", *timeit(dec, 2000)))
block = encode_text_block(sample_card())
rows.append(("decode_text_block", *timeit(lambda: decode_text_block(block), 5000)))
with SamReaderEmulator() as emu:
    emu.place_card(sample_card())
    rows.append(
        ("read_card() cold (open+SAM init+read)", *timeit(lambda: read_card(emu.port, timeout=2), 30))
    )
    r = SamSerialReader(emu.port, auto_read=False)
    r.start()
    while r.status.availability != Availability.ONLINE:
        time.sleep(0.01)
    rows.append(("read_once() warm (find+select+read)", *timeit(lambda: r.read_once(2), 100)))
    r.stop()
    emu.remove_card()
    for poll in (0.25, 0.1):
        r = SamSerialReader(emu.port, poll_interval=poll)
        ev = threading.Event()
        got = {}

        def on(e, ev=ev, got=got):
            if e.kind == EventKind.DATA_READ:
                got["t"] = time.perf_counter()
                ev.set()
            if e.kind == EventKind.MEDIA_REMOVED:
                ev.set()

        r.add_listener(on)
        r.start()
        while r.status.availability != Availability.ONLINE:
            time.sleep(0.01)
        lat = []
        for _ in range(20):
            ev.clear()
            t = time.perf_counter()
            emu.place_card(sample_card())
            ev.wait(3)
            lat.append(got["t"] - t)
            ev.clear()
            emu.remove_card()
            ev.wait(3)
        rows.append((f"place -> DATA_READ (poll {poll} s)", statistics.median(lat), max(lat)))
        r.stop()
    r = SamSerialReader(emu.port)  # default backoff 0.5..30 s
    r.start()
    while r.status.availability != Availability.ONLINE:
        time.sleep(0.01)
    lat = []
    for _ in range(5):
        emu.unplug()
        while r.status.availability != Availability.POWER_OFF:
            time.sleep(0.005)
        time.sleep(0.6)
        t = time.perf_counter()
        emu.replug()
        while r.status.availability != Availability.ONLINE:
            time.sleep(0.005)
        lat.append(time.perf_counter() - t)
    rows.append(("replug (after 0.6 s out) -> ONLINE, default backoff", statistics.median(lat), max(lat)))
    r.stop()
print(f"{'measure':52} {'median':>10} {'max':>10}")
for name, med, mx in rows:
    print(f"{name:52} {med * 1000:9.3f}ms {mx * 1000:9.3f}ms")
