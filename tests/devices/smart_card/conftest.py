"""Fixtures for the smart-card tests: a real pcscd with the vpcd virtual reader, and an event log.

``pcscd_session`` skips only when the pcscd binary is absent; a missing vpcd driver is a failure
with a clear message. Tests that need it are marked ``@pytest.mark.pcsc``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sc_events import EventLog
from sc_pcscd import PCSCD, VPCD_CONF, Pcscd, wait_until_empty


@pytest.fixture(scope="session")
def pcscd_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    if PCSCD is None:
        pytest.skip("pcscd is not installed (Debian package 'pcscd'); the PC/SC tests need it")
    if not VPCD_CONF.exists():
        pytest.fail(
            f"vsmartcard-vpcd is not installed ({VPCD_CONF} missing): apt-get install vsmartcard-vpcd"
        )
    control = Pcscd(PCSCD, tmp_path_factory.mktemp("pcscd"))
    try:
        control.ensure_default()
        yield control
    finally:
        control.finish()


@pytest.fixture
def pcscd(pcscd_session: Pcscd) -> Pcscd:
    """pcscd with the vpcd readers, restored to the default configuration before each test."""
    pcscd_session.ensure_default()
    wait_until_empty()  # the previous test's cards are gone for pcscd too
    return pcscd_session


@pytest.fixture
def events() -> EventLog:
    return EventLog()
