"""The ``simulator`` backend: an in-process reader slot holding a VirtualSsseCard, no pcscd needed.

The read goes through the real ApduChannel and SSSE parser; only the transport is in-process.
``insert()`` / ``remove()`` / ``unplug()`` / ``plug()`` may be called from any thread (tests, a
demo screen, a technician tool).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from devices.base import Backoff
from devices.model import DeviceInfo
from devices.smart_card.adapter import CAPABILITIES, SlotState, SmartCardReaderBase
from devices.smart_card.apdu import Transport
from devices.smart_card.errors import CardTimeout, NoCard
from devices.smart_card.virtual_card import CardProfile, VirtualSsseCard

SIMULATED_READER = "Simulated PC/SC Reader 00 00"


class InProcessTransport:
    """Hands APDUs straight to a VirtualSsseCard; a card that stays silent is a CardTimeout."""

    def __init__(self, card: VirtualSsseCard, slot_has_card: threading.Event | None = None) -> None:
        self.card = card
        self._present = slot_has_card

    def transmit(self, apdu: bytes) -> bytes:
        if self._present is not None and not self._present.is_set():
            raise NoCard("card removed during the read")
        answer = self.card.process(apdu)
        if answer is None:
            raise CardTimeout("card did not answer (simulated mute card)")
        return answer


class SimulatedCardReader(SmartCardReaderBase):
    """A smart-card reader adapter with a virtual card slot instead of PC/SC."""

    def __init__(
        self,
        name: str = "smart_card",
        *,
        card: VirtualSsseCard | None = None,
        reader_name: str = SIMULATED_READER,
        auto_read: bool = True,
        required: bool = False,
        backoff: Backoff | None = None,
        wait_slice: float = 0.5,
    ) -> None:
        super().__init__(name, auto_read=auto_read, required=required, backoff=backoff, wait_slice=wait_slice)
        self.reader_name = reader_name
        self._card = card
        self._plugged = True
        self._changed = threading.Event()
        self._has_card = threading.Event()
        if card is not None:
            self._has_card.set()
        self._slot_lock = threading.Lock()

    # ----- any thread -----
    def insert(self, card: VirtualSsseCard | None = None) -> VirtualSsseCard:
        """Put ``card`` (default: the sample person) into the slot; returns it."""
        card = card or VirtualSsseCard(CardProfile())
        with self._slot_lock:
            card.reset()
            self._card = card
            self._has_card.set()
        self._changed.set()
        return card

    def remove(self) -> None:
        with self._slot_lock:
            self._card = None
            self._has_card.clear()
        self._changed.set()

    def unplug(self) -> None:
        """Simulate the reader's USB cable being pulled."""
        with self._slot_lock:
            self._plugged = False
        self._changed.set()

    def plug(self) -> None:
        with self._slot_lock:
            self._plugged = True
        self._changed.set()

    # ----- adapter thread -----
    def _open(self) -> DeviceInfo:
        return DeviceInfo(
            kind=self.kind, backend="simulator", model=self.reader_name, capabilities=CAPABILITIES
        )

    def _close(self) -> None:
        pass

    def _wake(self) -> None:
        self._changed.set()

    def _observe(self, timeout: float) -> SlotState:
        if self._changed.wait(timeout):
            self._changed.clear()
        with self._slot_lock:
            if not self._plugged:
                return SlotState(None)
            card = self._card
        return SlotState(self.reader_name, present=card is not None, atr=card.atr if card else b"")

    @contextmanager
    def _session(self) -> Iterator[Transport]:
        with self._slot_lock:
            card = self._card
        if card is None or not self._plugged:
            raise NoCard("no card in the reader")
        card.reset()  # connecting powers the card up
        yield InProcessTransport(card, self._has_card)
