"""StatusChangeWatcher's handling of readers plugged in and out while the service keeps running.

pcscd cannot hot-plug vpcd readers (serial-style readers from reader.conf.d are fixed for the life of
the daemon; ``pcscd -H`` refuses a changed configuration), so this one path is driven by a scripted
SCard API. Service loss and reader arrival across restarts run against the real pcscd in
test_sc_pcsc_recovery.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from smartcard import scard

from devices.smart_card.errors import PcscServiceLost
from devices.smart_card.monitor import PNP_NOTIFICATION, StatusChangeWatcher

ATR = bytes.fromhex("3B8A014B494F534B2D53535345E5")
Step = Callable[[list[tuple[str, int]]], tuple[int, list[tuple[str, int, list[int]]]]]


class ScriptedPcsc:
    """The SCard* calls the watcher makes, answering from a script."""

    def __init__(self) -> None:
        self.readers: list[str] = []
        self.steps: list[Step] = []
        self.waits: list[list[tuple[str, int]]] = []
        self.cancels = 0
        self.released = 0

    def SCardEstablishContext(self, scope: int) -> tuple[int, int]:
        return scard.SCARD_S_SUCCESS, 7

    def SCardReleaseContext(self, context: int) -> int:
        self.released += 1
        return scard.SCARD_S_SUCCESS

    def SCardCancel(self, context: int) -> int:
        self.cancels += 1
        return scard.SCARD_S_SUCCESS

    def SCardListReaders(self, context: int, groups: list[str]) -> tuple[int, list[str]]:
        if not self.readers:
            return scard.SCARD_E_NO_READERS_AVAILABLE, []
        return scard.SCARD_S_SUCCESS, list(self.readers)

    def SCardGetStatusChange(
        self, context: int, timeout_ms: int, states: list[tuple[str, int]]
    ) -> tuple[int, list[tuple[str, int, list[int]]]]:
        self.waits.append(states)
        if self.steps:
            return self.steps.pop(0)(states)
        return scard.SCARD_E_TIMEOUT, [(name, state, []) for name, state in states]


CHANGED = scard.SCARD_STATE_CHANGED


def test_reader_plugged_in_used_and_pulled_out() -> None:
    api = ScriptedPcsc()
    watcher = StatusChangeWatcher("acme", api=api)
    watcher.open()
    assert watcher.snapshot().reader is None
    assert watcher.wait(0.5).reader is None
    assert api.waits[-1] == [(PNP_NOTIFICATION, scard.SCARD_STATE_UNAWARE)]

    api.readers = ["Other Reader 00 00", "ACME CCID 00 00"]  # plugged in
    api.steps.append(lambda states: (scard.SCARD_S_SUCCESS, [(PNP_NOTIFICATION, 0x10000 | CHANGED, [])]))
    slot = watcher.wait(0.5)
    assert slot.reader == "ACME CCID 00 00" and not slot.present

    present = scard.SCARD_STATE_PRESENT | CHANGED | 0x10000
    api.steps.append(
        lambda states: (
            scard.SCARD_S_SUCCESS,
            [(states[0][0], present, list(ATR)), (PNP_NOTIFICATION, 0x10000, [])],
        )
    )
    slot = watcher.wait(0.5)
    assert slot.present and slot.atr == ATR
    assert api.waits[-1][0] == ("ACME CCID 00 00", scard.SCARD_STATE_UNAWARE)
    watcher.wait(0.5)
    assert api.waits[-1][0] == ("ACME CCID 00 00", present & ~CHANGED)  # CHANGED is never fed back

    api.readers = ["Other Reader 00 00"]  # pulled out
    gone = scard.SCARD_STATE_UNKNOWN | CHANGED
    api.steps.append(
        lambda states: (
            scard.SCARD_S_SUCCESS,
            [(states[0][0], gone, []), (PNP_NOTIFICATION, 0x20000 | CHANGED, [])],
        )
    )
    slot = watcher.wait(0.5)
    assert slot.reader is None and not slot.present
    assert watcher.readers == ["Other Reader 00 00"]


def test_unknown_reader_answer_relists() -> None:
    api = ScriptedPcsc()
    api.readers = ["ACME CCID 00 00"]
    watcher = StatusChangeWatcher(api=api)  # no filter: the first reader
    watcher.open()
    api.readers = []
    api.steps.append(lambda states: (scard.SCARD_E_UNKNOWN_READER, []))
    assert watcher.wait(0.5).reader is None


@pytest.mark.parametrize(
    "hr", [scard.SCARD_E_NO_SERVICE, scard.SCARD_F_COMM_ERROR, scard.SCARD_E_INVALID_HANDLE]
)
def test_service_loss_raises(hr: int) -> None:
    api = ScriptedPcsc()
    watcher = StatusChangeWatcher(api=api)
    watcher.open()
    api.steps.append(lambda states: (hr, []))
    with pytest.raises(PcscServiceLost, match="PC/SC service not available"):
        watcher.wait(0.5)
    watcher.close()
    assert api.released == 1


def test_unexpected_error_does_not_spin() -> None:
    api = ScriptedPcsc()
    api.readers = ["ACME CCID 00 00"]
    watcher = StatusChangeWatcher(api=api)
    watcher.open()
    api.steps.extend([lambda states: (scard.SCARD_E_INVALID_PARAMETER, [])] * 3)
    started = time.monotonic()
    for _ in range(3):
        assert watcher.wait(0.5).reader == "ACME CCID 00 00"
    assert time.monotonic() - started >= 0.25


def test_cancel_reaches_the_context_only_while_open() -> None:
    api = ScriptedPcsc()
    watcher = StatusChangeWatcher(api=api)
    watcher.cancel()
    assert api.cancels == 0
    watcher.open()
    watcher.cancel()
    assert api.cancels == 1
