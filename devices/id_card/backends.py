"""Build the configured ID-reader backend: ``sam-serial`` | ``sdtapi`` | ``simulator``.

The ``simulator`` backend is the byte-level emulator on a pseudo-terminal plus the real
SamSerialReader on its slave side, so the demo runs the real frame parser.
"""

from __future__ import annotations

from devices.base import Backoff
from devices.id_card.presence import IdReaderAdapter
from devices.id_card.reader import SamSerialReader
from devices.id_card.samples import sample_card
from devices.id_card.simulator import SamReaderEmulator
from devices.id_card.text import PhotoDecoder
from devices.model import DeviceError, ResultCode

BACKENDS = ("sam-serial", "sdtapi", "simulator")


class SimulatedSamReader(SamSerialReader):
    """SamSerialReader wired to its own SamReaderEmulator; ``emulator`` places/removes cards."""

    def __init__(self, *, sample: str | None = None, reply_delay: float = 0.02, **kwargs: object) -> None:
        self.emulator = SamReaderEmulator(reply_delay=reply_delay)
        if sample:
            self.emulator.place_card(sample_card(sample))
        kwargs.setdefault("backend", "simulator")
        super().__init__(self.emulator.port, **kwargs)  # type: ignore[arg-type]

    def start(self) -> None:
        self.emulator.start()
        super().start()

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        self.emulator.stop()


def create_id_reader(
    backend: str,
    *,
    port: str = "",
    baud: int = 115200,
    library: str = "",
    sdt_port: int = 1001,
    name: str = "id_reader",
    required: bool = False,
    sample: str | None = None,
    photo_decoder: PhotoDecoder | None = None,
    backoff: Backoff | None = None,
) -> IdReaderAdapter:
    """The adapter for ``backend`` (not started). Raises DeviceError(UNSUPPORTED) on bad config."""
    common: dict[str, object] = {
        "name": name,
        "required": required,
        "photo_decoder": photo_decoder,
        "backoff": backoff,
    }
    if backend == "sam-serial":
        if not port:
            raise DeviceError(ResultCode.UNSUPPORTED, "sam-serial backend: no serial port configured")
        return SamSerialReader(port, baud, **common)  # type: ignore[arg-type]
    if backend == "sdtapi":
        from devices.id_card.sdtapi import SdtApiReader  # ctypes only when configured

        return SdtApiReader(library, sdt_port, **common)  # type: ignore[arg-type]
    if backend == "simulator":
        return SimulatedSamReader(sample=sample, **common)
    raise DeviceError(
        ResultCode.UNSUPPORTED, f"unknown ID reader backend {backend!r}; choose {', '.join(BACKENDS)}"
    )
