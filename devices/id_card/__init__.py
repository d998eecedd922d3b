"""Resident ID card readers (GA 467 SAM_V): frames, text layouts, adapters and a pty emulator."""

from devices.id_card.backends import BACKENDS, SimulatedSamReader, create_id_reader
from devices.id_card.cli import card_to_json, read_card, read_card_sdtapi, read_card_simulated
from devices.id_card.presence import IdReaderAdapter
from devices.id_card.reader import SamSerialReader
from devices.id_card.samples import SAMPLE_KEYS, sample_card, sample_cards
from devices.id_card.simulator import Fault, SamReaderEmulator
from devices.id_card.text import CardType, Coded, IdentityCard, NoPhotoDecoder, PhotoDecoder

__all__ = [
    "BACKENDS",
    "SAMPLE_KEYS",
    "CardType",
    "Coded",
    "Fault",
    "IdReaderAdapter",
    "IdentityCard",
    "NoPhotoDecoder",
    "PhotoDecoder",
    "SamReaderEmulator",
    "SamSerialReader",
    "SimulatedSamReader",
    "card_to_json",
    "create_id_reader",
    "read_card",
    "read_card_sdtapi",
    "read_card_simulated",
    "sample_card",
    "sample_cards",
]
