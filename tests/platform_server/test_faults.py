"""Server-side fault injection knobs, observed by a real client over loopback."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import requests

from kiosk.platform.server.faults import FaultConfig
from tests.platform_server.test_submissions import post, submission
from tests.platform_server.test_uploads import create, head, patch


def test_fail_before_handler_stores_nothing(platform_server, kiosk, faults):
    faults.configure(fail_rate=1.0)
    response = post(kiosk, submission(kiosk), "k1")
    assert response.status_code == 500 and response.json()["error"]["code"] == "injected_failure"
    faults.clear()
    assert platform_server.platform.submissions.list() == []
    assert faults.counts["fail"] == 1


def test_rate_limit_with_retry_after(kiosk, faults):
    faults.configure(rate_limit_rate=1.0, retry_after_s=7)
    response = kiosk.session.get(kiosk.url("/v1/catalog/changeset"), timeout=10)
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    assert requests.get(kiosk.url("/v1/time"), timeout=10).status_code == 200  # exempt


def test_fail_after_commit_then_retry_gets_the_stored_result(platform_server, kiosk, faults):
    key = str(uuid.uuid4())
    faults.configure(fail_after_rate=1.0)
    lost = post(kiosk, submission(kiosk), key)
    assert lost.status_code == 500
    assert len(platform_server.platform.submissions.list()) == 1  # the effect happened
    faults.clear()
    retry = post(kiosk, submission(kiosk), key)
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert len(platform_server.platform.submissions.list()) == 1


def test_reset_after_commit_is_a_connection_error(platform_server, kiosk, faults):
    faults.configure(reset_after_rate=1.0, methods="POST")
    with pytest.raises(requests.ConnectionError):
        post(kiosk, submission(kiosk), "k-reset")
    assert len(platform_server.platform.submissions.list()) == 1
    faults.clear()
    assert post(kiosk, submission(kiosk), "k-reset").headers["Idempotent-Replayed"] == "true"


def test_reset_mid_upload_loses_the_chunk_and_resume_works(platform_server, kiosk, faults):
    data = os.urandom(2_000_000)
    location = create(kiosk, data)
    assert patch(kiosk, location, 0, data[:500_000]).status_code == 204
    faults.configure(reset_rate=1.0, methods="PATCH")
    with pytest.raises(requests.ConnectionError):
        patch(kiosk, location, 500_000, data[500_000:])
    assert faults.counts["reset"] == 1
    faults.clear()
    assert head(kiosk, location).headers["Upload-Offset"] == "500000"
    assert patch(kiosk, location, 500_000, data[500_000:]).status_code == 204
    upload_id = location.rsplit("/", 1)[1]
    assert platform_server.platform.uploads.path(upload_id).read_bytes() == data


def test_delay_makes_clients_time_out(kiosk, faults):
    faults.configure(delay_rate=1.0, delay_s=0.5)
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        kiosk.session.get(kiosk.url("/v1/catalog/changeset"), timeout=0.15)
    assert time.monotonic() - started < 0.45
    faults.configure(delay_s=0.05)
    assert kiosk.session.get(kiosk.url("/v1/catalog/changeset"), timeout=5).status_code == 404


def test_partial_rates_are_reproducible_with_a_seed(kiosk, faults):
    faults.configure(fail_rate=0.5, seed=42)
    first = [kiosk.session.get(kiosk.url("/v1/submissions/x"), timeout=5).status_code for _ in range(30)]
    faults.configure(seed=42)
    second = [kiosk.session.get(kiosk.url("/v1/submissions/x"), timeout=5).status_code for _ in range(30)]
    assert first == second and set(first) == {404, 500}


def test_config_parsing():
    config = FaultConfig.from_string(
        "fail_rate=0.25, delay_s=1.5, methods=patch|POST, retry_after_s=3, seed=9"
    )
    assert (config.fail_rate, config.delay_s, config.methods, config.retry_after_s) == (
        0.25,
        1.5,
        frozenset({"PATCH", "POST"}),
        3,
    )
    assert FaultConfig.from_env({}) is None
    assert FaultConfig.from_env({"KIOSK_PLATFORM_FAULTS": "reset_rate=0.1"}).reset_rate == 0.1
    for bad in ("fail_rate=2", "nonsense=1", "fail_rate"):
        with pytest.raises(ValueError):
            FaultConfig.from_string(bad)
    assert FaultConfig(fail_rate=1.0).draw("GET", "/v1/time") == set()
    assert FaultConfig(fail_rate=1.0, methods=frozenset({"POST"})).draw("GET", "/v1/x") == set()
    assert FaultConfig(fail_rate=1.0).draw("GET", "/v1/x") == {"fail"}
