"""Smart cards over PC/SC: the social security card (社会保障卡, SSSE application).

Backends: ``pcsc`` (PcscCardReader, pyscard + pcscd / WinSCard) and ``simulator``
(SimulatedCardReader, an in-process virtual card). VirtualSsseCard + VpcdCard put the same virtual
card into a real pcscd through Debian's vsmartcard-vpcd driver, for tests and demos.
pyscard is imported only by the ``pcsc`` modules (reader, monitor, pcsc_session).
"""

from devices.smart_card.adapter import SlotState, SmartCardReaderBase
from devices.smart_card.apdu import ApduChannel, Command, Response, describe_sw
from devices.smart_card.cli import BACKENDS, create_smart_card_reader, read_card
from devices.smart_card.errors import (
    CardDataError,
    CardError,
    CardTimeout,
    NoCard,
    NoReader,
    NotSocialSecurityCard,
    PcscServiceLost,
    PinRequired,
    ReaderBusy,
)
from devices.smart_card.simulator import SimulatedCardReader
from devices.smart_card.ssse import SSSE_AID, SocialSecurityCard, read_social_security_card
from devices.smart_card.virtual_card import CardProfile, Person, Quirk, VirtualSsseCard, VpcdCard

__all__ = [
    "BACKENDS",
    "SSSE_AID",
    "ApduChannel",
    "CardDataError",
    "CardError",
    "CardProfile",
    "CardTimeout",
    "Command",
    "NoCard",
    "NoReader",
    "NotSocialSecurityCard",
    "PcscServiceLost",
    "Person",
    "PinRequired",
    "Quirk",
    "ReaderBusy",
    "Response",
    "SimulatedCardReader",
    "SlotState",
    "SmartCardReaderBase",
    "SocialSecurityCard",
    "VirtualSsseCard",
    "VpcdCard",
    "create_smart_card_reader",
    "describe_sw",
    "read_card",
    "read_social_security_card",
]
