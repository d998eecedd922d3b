"""ISO 7816-4 short APDUs: building, parsing, status words, and the T=0 response handling.

``ApduChannel`` does the T=0 dance itself instead of relying on the PC/SC stack or pyscard:
``61xx`` -> GET RESPONSE (``00 C0 00 00 xx``) until the card says ``9000``, and ``6Cxx`` -> send the
same command again with ``Le = xx``. Both loops are bounded, so a card that answers garbage ends in
a CardDataError, never in a hang.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Protocol

from devices.base import CancelToken
from devices.smart_card.errors import CardDataError

log = logging.getLogger("kiosk.devices.smart_card")

INS_SELECT = 0xA4
INS_READ_RECORD = 0xB2
INS_GET_RESPONSE = 0xC0
INS_VERIFY = 0x20

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_BLOCKED = 0x6983
SW_NO_CURRENT_EF = 0x6986
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_INCORRECT_P1P2 = 0x6A86
SW_WRONG_P1P2 = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00
SW_NO_DIAGNOSIS = 0x6F00

_SW_TEXT = {
    SW_OK: "success",
    SW_WRONG_LENGTH: "wrong length",
    SW_SECURITY_NOT_SATISFIED: "security status not satisfied (PIN required)",
    SW_AUTH_BLOCKED: "authentication method blocked",
    SW_CONDITIONS_NOT_SATISFIED: "conditions of use not satisfied",
    SW_NO_CURRENT_EF: "command not allowed (no current EF)",
    SW_FUNCTION_NOT_SUPPORTED: "function not supported",
    SW_FILE_NOT_FOUND: "file or application not found",
    SW_RECORD_NOT_FOUND: "record not found",
    SW_INCORRECT_P1P2: "incorrect P1-P2",
    SW_WRONG_P1P2: "wrong parameters P1-P2",
    SW_INS_NOT_SUPPORTED: "instruction not supported",
    SW_CLA_NOT_SUPPORTED: "class not supported",
    SW_NO_DIAGNOSIS: "no precise diagnosis",
}


def describe_sw(sw: int) -> str:
    """``"6A82 file or application not found"`` (technician-facing)."""
    sw1 = sw >> 8
    if sw1 == 0x61:
        text = f"{sw & 0xFF or 256} more bytes available"
    elif sw1 == 0x6C:
        text = f"wrong Le, exact length is {sw & 0xFF or 256}"
    elif sw1 == 0x63 and sw & 0xF0 == 0xC0:
        text = f"verification failed, {sw & 0x0F} tries left"
    else:
        text = _SW_TEXT.get(sw, "unknown status")
    return f"{sw:04X} {text}"


@dataclass(frozen=True, slots=True)
class Command:
    """A short command APDU (ISO 7816-4 cases 1-4). ``le`` is 1..256 or None (no Le)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ValueError(f"APDU {name} out of range")
        if len(self.data) > 255:
            raise ValueError("APDU data longer than 255 bytes (extended APDUs are not supported)")
        if self.le is not None and not 1 <= self.le <= 256:
            raise ValueError("APDU Le must be 1..256")

    def to_bytes(self) -> bytes:
        out = bytes((self.cla, self.ins, self.p1, self.p2))
        if self.data:
            out += bytes((len(self.data),)) + self.data
        if self.le is not None:
            out += bytes((self.le & 0xFF,))  # 256 is encoded as 00
        return out

    def with_le(self, le: int) -> Command:
        return replace(self, le=le)

    @classmethod
    def parse(cls, raw: bytes) -> Command:
        """Decode a short APDU; raises ValueError on anything else (the virtual card answers 6700)."""
        if len(raw) < 4:
            raise ValueError("APDU shorter than its header")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0:
            raise ValueError("extended-length APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, bytes(body[1:-1]), le=body[-1] or 256)
        raise ValueError("APDU length does not match Lc")


@dataclass(frozen=True, slots=True)
class Response:
    """A response APDU: data plus the two status bytes."""

    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def describe(self) -> str:
        return describe_sw(self.sw)

    @classmethod
    def parse(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise CardDataError(f"card answered {len(raw)} byte(s), shorter than a status word")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])

    def to_bytes(self) -> bytes:
        return self.data + bytes((self.sw1, self.sw2))


class Transport(Protocol):
    """Moves one raw command APDU to the card and returns the raw response (data + SW)."""

    def transmit(self, apdu: bytes) -> bytes: ...


class ApduChannel:
    """Sends Commands over a Transport, resolving ``61xx`` and ``6Cxx`` itself.

    ``max_chain`` bounds the GET RESPONSE loop and ``max_data`` the bytes gathered, so a card
    that keeps answering ``61xx`` ends in CardDataError.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        token: CancelToken | None = None,
        max_chain: int = 32,
        max_data: int = 8192,
    ) -> None:
        self.transport = transport
        self.token = token
        self.max_chain = max_chain
        self.max_data = max_data
        self.exchanges = 0  # raw APDUs sent, for tests and timing

    def send(self, command: Command) -> Response:
        response = self._exchange(command)
        if response.sw1 == 0x6C:  # wrong Le: the card tells the exact length, send again once
            response = self._exchange(command.with_le(response.sw2 or 256))
        data = response.data
        chained = 0
        while response.sw1 == 0x61:
            chained += 1
            if chained > self.max_chain:
                raise CardDataError(f"card kept answering 61xx after {self.max_chain} GET RESPONSE commands")
            get_response = Command(command.cla & 0x03, INS_GET_RESPONSE, 0, 0, le=response.sw2 or 256)
            response = self._exchange(get_response)
            if response.sw1 == 0x6C:
                response = self._exchange(get_response.with_le(response.sw2 or 256))
            data += response.data
            if len(data) > self.max_data:
                raise CardDataError(f"response longer than {self.max_data} bytes")
        return Response(data, response.sw1, response.sw2)

    def _exchange(self, command: Command) -> Response:
        if self.token is not None:
            self.token.raise_if_cancelled()
        raw = self.transport.transmit(command.to_bytes())
        self.exchanges += 1
        response = Response.parse(raw)
        # INS and SW only: never the data, which may be personal.
        log.debug(
            "APDU INS %02X P1 %02X P2 %02X -> %s", command.ins, command.p1, command.p2, response.describe()
        )
        return response
