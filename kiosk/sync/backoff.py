"""Retry delays: exponential backoff with full jitter, ``Retry-After`` as a floor."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """``delay(n) = uniform(0, min(cap, base * 2**n))``, never below the server's Retry-After."""

    base: float = 2.0
    cap: float = 900.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * (2 ** min(max(attempt, 0), 32)))
        jittered = self.rng.uniform(0.0, ceiling)
        if retry_after is not None:
            return max(float(retry_after), jittered)
        return jittered


def jittered_interval(interval: float, rng: random.Random, spread: float = 0.2) -> float:
    """A poll interval spread by ±``spread`` so kiosks do not poll in lockstep after an outage."""
    return max(0.0, interval * rng.uniform(1.0 - spread, 1.0 + spread))
