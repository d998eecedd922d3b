"""Helpers for ``kiosk device read-card --backend pcsc|simulator [--reader NAME] --json``.

Every failure is a DeviceError (mostly a CardError with a stable ``key``) whose ``detail`` says what
went wrong; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

from devices.base import Backoff
from devices.model import DeviceError, ResultCode
from devices.smart_card.adapter import SmartCardReaderBase
from devices.smart_card.ssse import SocialSecurityCard
from devices.smart_card.virtual_card import CardProfile, VirtualSsseCard

BACKENDS = ("pcsc", "simulator")
_ONE_SHOT_BACKOFF = Backoff(base=10.0, cap=10.0)  # a one-shot read does not wait for a reconnect


def create_smart_card_reader(
    backend: str,
    *,
    reader: str | None = None,
    name: str = "smart_card",
    required: bool = False,
    auto_read: bool = True,
    backoff: Backoff | None = None,
    apdu_timeout: float = 5.0,
    card: VirtualSsseCard | None = None,
) -> SmartCardReaderBase:
    """The adapter for ``backend`` (not started). ``card``: what the simulator's slot holds."""
    if backend == "pcsc":
        from devices.smart_card.reader import PcscCardReader  # imports pyscard only when configured

        return PcscCardReader(
            name,
            reader=reader,
            auto_read=auto_read,
            required=required,
            backoff=backoff,
            apdu_timeout=apdu_timeout,
        )
    if backend == "simulator":
        from devices.smart_card.simulator import SimulatedCardReader

        return SimulatedCardReader(name, card=card, auto_read=auto_read, required=required, backoff=backoff)
    raise DeviceError(
        ResultCode.UNSUPPORTED, f"unknown smart-card backend {backend!r}; choose {', '.join(BACKENDS)}"
    )


def read_card(
    backend: str = "pcsc", reader_name: str | None = None, timeout: float = 10.0
) -> SocialSecurityCard:
    """Read one social security card, waiting up to ``timeout`` s for it to be inserted.

    ``simulator`` reads the built-in sample card through the real APDU path.
    """
    card = VirtualSsseCard(CardProfile()) if backend == "simulator" else None
    adapter = create_smart_card_reader(
        backend, reader=reader_name, auto_read=False, backoff=_ONE_SHOT_BACKOFF, card=card
    )
    adapter.start()
    try:
        return adapter.read_once(timeout)
    finally:
        adapter.stop()
