"""A PC/SC card session (own context, connect, transaction, transmit) where no call can hang us.

pcscd passes an APDU to the reader driver and waits for the answer with no limit of its own (a
vpcd card that never answers blocks SCardTransmit forever; a real CCID reader gives up after its
own timeouts). So every blocking SCard call runs on a short-lived daemon thread and is abandoned
after ``apdu_timeout`` seconds: the read fails with CardTimeout, the abandoned thread releases its
context once the card is pulled out, and the caller's I/O thread never blocks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from smartcard import scard

from devices.model import DeviceError, ResultCode
from devices.smart_card.errors import (
    CardDataError,
    CardTimeout,
    NoCard,
    NoReader,
    PcscServiceLost,
    ReaderBusy,
)

T = TypeVar("T")
log = logging.getLogger("kiosk.devices.smart_card")


def unsigned(hr: int) -> int:
    """An SCard result as an unsigned 32-bit value (some platforms hand out negative LONGs)."""
    return hr & 0xFFFFFFFF


_NAMES = {
    scard.SCARD_E_NO_SERVICE: "SCARD_E_NO_SERVICE",
    scard.SCARD_E_SERVICE_STOPPED: "SCARD_E_SERVICE_STOPPED",
    scard.SCARD_F_COMM_ERROR: "SCARD_F_COMM_ERROR",
    scard.SCARD_F_INTERNAL_ERROR: "SCARD_F_INTERNAL_ERROR",
    scard.SCARD_E_INVALID_HANDLE: "SCARD_E_INVALID_HANDLE",
    scard.SCARD_E_NO_READERS_AVAILABLE: "SCARD_E_NO_READERS_AVAILABLE",
    scard.SCARD_E_UNKNOWN_READER: "SCARD_E_UNKNOWN_READER",
    scard.SCARD_E_READER_UNAVAILABLE: "SCARD_E_READER_UNAVAILABLE",
    scard.SCARD_E_NO_SMARTCARD: "SCARD_E_NO_SMARTCARD",
    scard.SCARD_W_REMOVED_CARD: "SCARD_W_REMOVED_CARD",
    scard.SCARD_W_RESET_CARD: "SCARD_W_RESET_CARD",
    scard.SCARD_W_UNRESPONSIVE_CARD: "SCARD_W_UNRESPONSIVE_CARD",
    scard.SCARD_W_UNPOWERED_CARD: "SCARD_W_UNPOWERED_CARD",
    scard.SCARD_W_UNSUPPORTED_CARD: "SCARD_W_UNSUPPORTED_CARD",
    scard.SCARD_E_PROTO_MISMATCH: "SCARD_E_PROTO_MISMATCH",
    scard.SCARD_E_SHARING_VIOLATION: "SCARD_E_SHARING_VIOLATION",
    scard.SCARD_E_TIMEOUT: "SCARD_E_TIMEOUT",
    scard.SCARD_E_CANCELLED: "SCARD_E_CANCELLED",
    scard.SCARD_E_NOT_TRANSACTED: "SCARD_E_NOT_TRANSACTED",
    scard.SCARD_E_COMM_DATA_LOST: "SCARD_E_COMM_DATA_LOST",
}
_NAMES = {unsigned(k): v for k, v in _NAMES.items()}
RPC_S_SERVER_UNAVAILABLE = 0x800706BA  # Windows: the smart-card service went away mid-call
RPC_S_CALL_FAILED = 0x800706BE
SERVICE_LOST = frozenset(
    unsigned(hr)
    for hr in {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_F_COMM_ERROR,  # pcsc-lite: "RPC transport error" when pcscd dies
        scard.SCARD_F_INTERNAL_ERROR,
        scard.SCARD_E_INVALID_HANDLE,  # our context belongs to a pcscd that is gone
        RPC_S_SERVER_UNAVAILABLE,
        RPC_S_CALL_FAILED,
    }
)
_NO_CARD = frozenset(
    unsigned(hr) for hr in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD, scard.SCARD_W_RESET_CARD)
)
_MUTE = frozenset(
    unsigned(hr)
    for hr in {
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_W_UNSUPPORTED_CARD,
        scard.SCARD_E_PROTO_MISMATCH,
    }
)
# pcsc-lite's answer when the reader driver could not carry the card's response (IFD_COMMUNICATION_ERROR)
_GARBLED = frozenset(unsigned(hr) for hr in (scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_E_COMM_DATA_LOST))


def hr_name(hr: int) -> str:
    hr = unsigned(hr)
    return _NAMES.get(hr, f"0x{hr:08X}")


def is_service_lost(hr: int) -> bool:
    return unsigned(hr) in SERVICE_LOST


def raise_for(hr: int, operation: str) -> None:
    """Map a failed SCard* result to our errors (service loss -> PcscServiceLost)."""
    hr = unsigned(hr)
    if hr == scard.SCARD_S_SUCCESS:
        return
    what = f"{operation}: {hr_name(hr)}"
    if hr in SERVICE_LOST:
        raise PcscServiceLost(f"PC/SC service not available ({what})")
    if hr in _NO_CARD:
        raise NoCard(f"no card in the reader ({what})")
    if hr in _MUTE:
        raise CardDataError(f"the card does not answer to reset or is not supported ({what})")
    if hr in _GARBLED:
        raise CardDataError(f"the card's answer could not be transferred ({what})")
    if hr == unsigned(scard.SCARD_E_SHARING_VIOLATION):
        raise ReaderBusy(f"another application holds the reader ({what})")
    if hr in (unsigned(scard.SCARD_E_UNKNOWN_READER), unsigned(scard.SCARD_E_READER_UNAVAILABLE)):
        raise NoReader(f"the reader disappeared ({what})")
    raise DeviceError(ResultCode.HARDWARE_ERROR, what)


class PcscSession:
    """Context manager: connect to the card in ``reader`` and transmit raw APDUs with a time limit."""

    def __init__(self, reader: str, *, apdu_timeout: float = 5.0) -> None:
        self.reader = reader
        self.apdu_timeout = apdu_timeout
        self.protocol = ""  # "T=0" or "T=1" once connected
        self.blocked: threading.Thread | None = None  # a call that never came back, if any
        self._context: int | None = None
        self._card: int | None = None
        self._proto = 0
        self._transaction = False
        self._abandoned = threading.Event()

    def __enter__(self) -> PcscSession:
        try:
            hr, self._context = self._timed(
                lambda: scard.SCardEstablishContext(scard.SCARD_SCOPE_USER), "connect"
            )
            raise_for(hr, "SCardEstablishContext")
            protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
            hr, self._card, self._proto = self._timed(
                lambda: scard.SCardConnect(self._context, self.reader, scard.SCARD_SHARE_SHARED, protocols),
                "connect",
            )
            raise_for(hr, "SCardConnect")
            self.protocol = "T=1" if self._proto == scard.SCARD_PROTOCOL_T1 else "T=0"
            hr = self._timed(lambda: scard.SCardBeginTransaction(self._card), "connect")
            raise_for(hr, "SCardBeginTransaction")
            self._transaction = True
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup()

    def transmit(self, apdu: bytes) -> bytes:
        hr, response = self._timed(lambda: scard.SCardTransmit(self._card, self._proto, list(apdu)), "answer")
        raise_for(hr, "SCardTransmit")
        return bytes(response)

    def _timed(self, fn: Callable[[], T], what: str) -> T:
        if self._abandoned.is_set():
            raise CardTimeout("the card stopped answering")
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = fn()
            except BaseException as exc:  # handed to the caller below
                box["error"] = exc
            if self._abandoned.is_set():  # the caller gave up: release what this session holds
                self._release_all()

        worker = threading.Thread(target=run, name=f"pcsc-call-{self.reader}", daemon=True)
        worker.start()
        worker.join(self.apdu_timeout)
        if worker.is_alive():
            self._abandoned.set()
            self.blocked = worker
            log.warning(
                "PC/SC call on %s blocked for %.1f s; abandoning the session", self.reader, self.apdu_timeout
            )
            raise CardTimeout(f"the card did not {what} within {self.apdu_timeout:g} s")
        if "error" in box:
            raise box["error"]
        return box["result"]

    def _cleanup(self) -> None:
        if not self._abandoned.is_set():  # an abandoned session is released by its blocked thread
            self._release_all()

    def _release_all(self) -> None:
        card, context = self._card, self._context
        self._card = self._context = None
        if card is not None:
            if self._transaction:
                scard.SCardEndTransaction(card, scard.SCARD_LEAVE_CARD)
            scard.SCardDisconnect(card, scard.SCARD_RESET_CARD)  # reset: no selected application stays open
        if context is not None:
            scard.SCardReleaseContext(context)
