"""Fault injection for tests: an outer ASGI middleware enabled by a constructor argument or an env var.

Knobs (``FaultConfig`` fields, also ``KIOSK_PLATFORM_FAULTS="fail_rate=0.2,delay_s=0.5,methods=PATCH|POST"``):

* ``rate_limit_rate`` - answer 429 with ``Retry-After: retry_after_s`` before the handler runs.
* ``fail_rate`` - answer 500 before the handler runs (nothing is stored).
* ``fail_after_rate`` - run the handler (it commits), then replace its response by a 500 (lost ack).
* ``reset_rate`` - read about half of the request body, then reset the TCP connection (RST); the
  handler never runs (a PATCH chunk is lost, the offset does not move).
* ``reset_after_rate`` - run the handler (it commits), then reset the connection instead of answering.
* ``delay_rate`` / ``delay_s`` - sleep ``delay_s`` before handling (slow responses, client timeouts).
* ``path_prefix`` (default ``/v1/``), ``methods`` (None = all), ``exempt`` path prefixes
  (default /v1/time and the OpenAPI documents), ``seed`` for a reproducible sequence.

The config object is mutable at run time (``configure(**knobs)``, ``clear()``); ``counts`` tallies
injected faults by kind. Decisions are drawn in the order rate limit, fail, reset, then delay and the
after-faults independently.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

ENV_VAR = "KIOSK_PLATFORM_FAULTS"
_RATES = ("rate_limit_rate", "fail_rate", "fail_after_rate", "reset_rate", "reset_after_rate", "delay_rate")


@dataclass
class FaultConfig:
    """Fault probabilities (0..1) and parameters; see the module docstring."""

    fail_rate: float = 0.0
    fail_after_rate: float = 0.0
    reset_rate: float = 0.0
    reset_after_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after_s: int = 1
    delay_rate: float = 0.0
    delay_s: float = 0.0
    path_prefix: str = "/v1/"
    methods: frozenset[str] | None = None
    exempt: tuple[str, ...] = ("/v1/time", "/v1/openapi")
    seed: int | None = None
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    @classmethod
    def from_string(cls, spec: str) -> FaultConfig:
        """Parse ``key=value,key=value`` (methods separated by ``|``)."""
        config = cls()
        values: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, raw = part.partition("=")
            if not sep:
                raise ValueError(f"{ENV_VAR}: expected key=value, got {part!r}")
            values[name.strip()] = raw.strip()
        config.configure(**values)
        return config

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FaultConfig | None:
        spec = (os.environ if env is None else env).get(ENV_VAR, "").strip()
        return cls.from_string(spec) if spec else None

    def configure(self, **knobs: Any) -> None:
        """Change knobs at run time (strings are converted); unknown names raise ValueError."""
        known = {f.name: f for f in fields(self)}
        for name, value in knobs.items():
            if name not in known or name == "counts":
                raise ValueError(f"unknown fault knob {name!r}; known: {', '.join(sorted(known))}")
            if name in _RATES or name == "delay_s":
                value = float(value)
                if name in _RATES and not 0.0 <= value <= 1.0:
                    raise ValueError(f"{name} must be between 0 and 1")
            elif name in ("retry_after_s", "seed"):
                value = None if value in (None, "") else int(value)
            elif name == "methods":
                value = (
                    None
                    if not value
                    else frozenset(m.upper() for m in (value.split("|") if isinstance(value, str) else value))
                )
            elif name == "exempt" and isinstance(value, str):
                value = tuple(p for p in value.split("|") if p)
            setattr(self, name, value)
            if name == "seed":
                self._rng = random.Random(value)

    def clear(self) -> None:
        """Switch every fault off (counts are kept)."""
        self.configure(**{name: 0.0 for name in _RATES})

    def draw(self, method: str, path: str) -> set[str]:
        """The faults to inject for one request."""
        if not path.startswith(self.path_prefix) or any(path.startswith(p) for p in self.exempt):
            return set()
        if self.methods is not None and method.upper() not in self.methods:
            return set()
        with self._lock:
            rolls = {name: self._rng.random() for name in _RATES}
        chosen = {name[:-5] for name in _RATES if rolls[name] < getattr(self, name)}
        for exclusive in ("rate_limit", "fail", "reset"):  # at most one pre-handler outcome
            if exclusive in chosen:
                chosen -= {"rate_limit", "fail", "reset", "fail_after", "reset_after"} - {exclusive}
                break
        if "fail_after" in chosen:
            chosen.discard("reset_after")
        with self._lock:
            self.counts.update(chosen)
        return chosen


class FaultInjectionMiddleware:
    """Outermost ASGI wrapper; needs uvicorn's own ``send`` to reach the transport for resets."""

    def __init__(self, app: Any, config: FaultConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        faults = self.config.draw(scope["method"], scope["path"])
        if not faults:
            await self.app(scope, receive, send)
            return
        if "rate_limit" in faults:
            await _respond(send, 429, "injected_rate_limit", {"retry-after": str(self.config.retry_after_s)})
            return
        if "fail" in faults:
            await _respond(send, 500, "injected_failure", {})
            return
        if "reset" in faults:
            await _drain_half(scope, receive)
            await _abort(send)
            return
        if "delay" in faults:
            await asyncio.sleep(self.config.delay_s)
        if not faults & {"fail_after", "reset_after"}:
            await self.app(scope, receive, send)
            return

        async def swallow(_message: dict) -> None:
            return None

        await self.app(scope, receive, swallow)
        if "fail_after" in faults:
            await _respond(send, 500, "injected_failure_after_commit", {})
        else:
            await _abort(send)


async def _respond(send: Any, status: int, code: str, headers: dict[str, str]) -> None:
    body = json.dumps({"error": {"code": code, "message": "fault injected for testing"}}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _drain_half(scope: dict, receive: Any) -> None:
    declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
    target = int(declared) // 2 if declared.isdigit() else 0
    received = 0
    while received < target:
        message = await asyncio.wait_for(receive(), timeout=10)
        if message["type"] != "http.request":
            return
        received += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _abort(send: Any) -> None:
    """Reset the client connection (SO_LINGER 0 + abort); falls back to an exception (-> 500/close)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionAbortedError("fault injection: connection reset")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    for _ in range(200):
        if getattr(cycle, "disconnected", True):
            break
        await asyncio.sleep(0.005)
