"""Smart-card failures as DeviceErrors with stable message keys (the UI translates the key).

``detail`` is technician-facing and never contains card data.
"""

from __future__ import annotations

from devices.model import DeviceError, DeviceUnavailable, ResultCode


class CardError(DeviceError):
    """Base of the smart-card errors; ``key`` is a stable message key such as ``smart_card.no_card``."""

    key = "smart_card.error"
    result = ResultCode.HARDWARE_ERROR

    def __init__(self, detail: str = "") -> None:
        super().__init__(type(self).result, detail)


class NoReader(CardError):
    """No PC/SC reader matches the configured name (or the reader disappeared)."""

    key = "smart_card.no_reader"
    result = ResultCode.DEVICE_NOT_READY


class ReaderBusy(CardError):
    """Another application holds the reader exclusively."""

    key = "smart_card.reader_busy"
    result = ResultCode.DEVICE_NOT_READY


class NoCard(CardError):
    """No card in the reader, or it was pulled out during the read."""

    key = "smart_card.no_card"
    result = ResultCode.NO_MEDIA


class CardTimeout(CardError):
    """The card stopped answering (an APDU took longer than the configured limit)."""

    key = "smart_card.timeout"
    result = ResultCode.TIMEOUT


class CardDataError(CardError):
    """The card answered, but with something we cannot use (garbage, malformed records, mute card)."""

    key = "smart_card.bad_data"
    result = ResultCode.INVALID_DATA


class NotSocialSecurityCard(CardError):
    """The card has no SSSE application: it is some other chip card."""

    key = "smart_card.not_ssse"
    result = ResultCode.UNSUPPORTED


class PinRequired(CardError):
    """The card demands PIN verification (SW 6982). The kiosk never presents a stored PIN."""

    key = "smart_card.pin_required"
    result = ResultCode.USER_ERROR


class PcscServiceLost(DeviceUnavailable):
    """The PC/SC service (pcscd / SCardSvr) is not running or was restarted; the adapter reconnects."""

    key = "smart_card.service_unavailable"


__all__ = [
    "CardDataError",
    "CardError",
    "CardTimeout",
    "NoCard",
    "NoReader",
    "NotSocialSecurityCard",
    "PcscServiceLost",
    "PinRequired",
    "ReaderBusy",
]
