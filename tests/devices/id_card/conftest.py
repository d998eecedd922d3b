"""Fixtures: the SAM reader emulator on a real pty, readers on its slave side, event recorders."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from devices.base import Backoff
from devices.id_card.reader import SamSerialReader
from devices.id_card.simulator import SamReaderEmulator
from devices.model import DeviceEvent, EventKind

FAST = {
    "poll_interval": 0.03,
    "backoff": Backoff(base=0.05, cap=0.2),
    "timeout": 0.25,
    "read_timeout": 0.5,
}


class Recorder:
    """A listener that keeps every event and lets the test wait for one."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: DeviceEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def mark(self) -> int:
        with self._cond:
            return len(self.events)

    def of(self, kind: EventKind, since: int = 0) -> list[DeviceEvent]:
        with self._cond:
            return [e for e in self.events[since:] if e.kind == kind]

    def wait_count(self, kind: EventKind, n: int, timeout: float = 3.0) -> list[DeviceEvent]:
        with self._cond:
            if not self._cond.wait_for(lambda: len([e for e in self.events if e.kind == kind]) >= n, timeout):
                raise AssertionError(f"fewer than {n} {kind.value} events within {timeout} s")
            return [e for e in self.events if e.kind == kind]

    def wait_for(
        self,
        pred: Callable[[DeviceEvent], bool] | EventKind,
        timeout: float = 3.0,
        since: int = 0,
    ) -> DeviceEvent:
        check = (lambda e: e.kind == pred) if isinstance(pred, EventKind) else pred
        found: list[DeviceEvent] = []

        def ready() -> bool:
            found[:] = [e for e in self.events[since:] if check(e)]
            return bool(found)

        with self._cond:
            if not self._cond.wait_for(ready, timeout):
                kinds = [(e.kind.value, e.status.availability.value) for e in self.events[since:]]
                raise AssertionError(f"no matching event within {timeout} s; saw {kinds}")
            return found[0]


@pytest.fixture
def emulator(tmp_path) -> Iterator[SamReaderEmulator]:
    emu = SamReaderEmulator(link_path=tmp_path / "ttyID0").start()
    yield emu
    emu.stop()


@pytest.fixture
def make_reader(emulator) -> Iterator[Callable[..., tuple[SamSerialReader, Recorder]]]:
    readers: list[SamSerialReader] = []

    def make(**overrides: object) -> tuple[SamSerialReader, Recorder]:
        reader = SamSerialReader(emulator.port, **{**FAST, **overrides})  # type: ignore[arg-type]
        recorder = Recorder()
        reader.add_listener(recorder)
        readers.append(reader)
        reader.start()
        return reader, recorder

    yield make
    for reader in readers:
        reader.stop()
