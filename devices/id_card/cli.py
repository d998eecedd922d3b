"""Helpers for the technician CLI ``kiosk device read-id``: read one card, turn it into JSON.

Every failure is a DeviceError with a clear ``detail``; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

from typing import Any

from devices.base import Backoff
from devices.id_card.id_number import mask_id_number
from devices.id_card.presence import IdReaderAdapter
from devices.id_card.reader import SamSerialReader
from devices.id_card.samples import sample_card
from devices.id_card.simulator import SamReaderEmulator
from devices.id_card.text import LONG_TERM, IdentityCard, PhotoDecoder

_ONE_SHOT_BACKOFF = Backoff(base=10.0, cap=10.0)  # a one-shot read never waits for a reconnect


def read_with(reader: IdReaderAdapter, timeout: float) -> IdentityCard:
    """Start ``reader``, wait up to ``timeout`` s for a card, stop it."""
    reader.start()
    try:
        return reader.read_once(timeout)
    finally:
        reader.stop()


def read_card(
    port: str, baud: int = 115200, timeout: float = 5.0, *, photo_decoder: PhotoDecoder | None = None
) -> IdentityCard:
    """Read one card from a SAM serial reader on ``port``."""
    reader = SamSerialReader(
        port, baud, name="id_reader", auto_read=False, backoff=_ONE_SHOT_BACKOFF, photo_decoder=photo_decoder
    )
    return read_with(reader, timeout)


def read_card_sdtapi(library: str, port: int = 1001, timeout: float = 5.0) -> IdentityCard:
    from devices.id_card.sdtapi import SdtApiReader

    return read_with(SdtApiReader(library, port, auto_read=False, backoff=_ONE_SHOT_BACKOFF), timeout)


def read_card_simulated(sample: str = "resident", timeout: float = 5.0) -> IdentityCard:
    """Spin up the emulator with a sample card and read it through the real serial path."""
    with SamReaderEmulator() as emulator:
        emulator.place_card(sample_card(sample))
        return read_card(emulator.port, timeout=timeout)


def card_to_json(card: IdentityCard, *, mask: bool = False) -> dict[str, Any]:
    """JSON-ready dict. ``mask=True`` masks the ID number and drops the address (for screenshots)."""
    out: dict[str, Any] = {
        "card_type": card.card_type.value,
        "name": card.name,
        "sex": card.sex.text,
        "sex_code": card.sex.code,
        "nation": card.nation.text if card.nation else None,
        "nation_code": card.nation.code if card.nation else None,
        "birth": card.birth.isoformat(),
        "address": card.address,
        "id_number": mask_id_number(card.id_number) if mask else card.id_number,
        "authority": card.authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": card.valid_to.isoformat() if card.valid_to else LONG_TERM,
        "long_term": card.valid_to is None,
        "photo_wlt_bytes": len(card.photo_wlt),
    }
    if mask:
        out["address"] = ""
    extras = {
        "english_name": card.english_name,
        "nationality": card.nationality,
        "pass_number": card.pass_number,
        "issue_count": card.issue_count,
        "renewal_count": card.renewal_count,
        "card_version": card.card_version,
        "previous_number": card.previous_number,
    }
    out.update({k: v for k, v in extras.items() if v not in ("", None)})
    return out
