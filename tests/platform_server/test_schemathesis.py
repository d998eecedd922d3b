"""schemathesis against the served OpenAPI document: no 5xx, responses conform to the contract."""

from __future__ import annotations

from collections import Counter

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.platform.auth import KioskAuth
from kiosk.platform.server import PlatformServer
from kiosk.platform.server.app import OPENAPI_PATH
from tests.platform_server.conftest import sample_records

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def seen_statuses() -> Counter:
    """(operation, status) pairs answered to signed requests."""
    return Counter()


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    server = PlatformServer(None, tmp_path_factory.mktemp("fuzz")).start()
    server.platform.catalog.publish(sample_records())
    secret = server.platform.enrollment.register("K-FUZZ")
    yield server, secret
    server.stop()


# schemathesis 4.32's lazy fixture loader (schemathesis.pytest.from_fixture) breaks on pytest 9
# (it sets Node._nodeid), so the schema is loaded from the file the server serves, and
# test_served_document_is_the_contract proves the served document is that file.
# Unauthenticated requests stop at the signature check (401) except /v1/time, /v1/enroll and OPTIONS:
# a short fuzzing run suffices. Signed requests reach the handlers: coverage phase (boundary values,
# missing headers, wrong types) plus fuzzing.
UNSIGNED = schemathesis.openapi.from_path(
    str(OPENAPI_PATH), config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
)
SIGNED = schemathesis.openapi.from_path(str(OPENAPI_PATH))


@schemathesis.serializer("application/offset+octet-stream")
def _tus_chunk(_ctx, value):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def test_served_document_is_the_contract(fuzz_server):
    server, _ = fuzz_server
    served = requests.get(server.base_url + "/v1/openapi.json", timeout=10)
    assert served.status_code == 200 and served.json() == yaml.safe_load(
        OPENAPI_PATH.read_text(encoding="utf-8")
    )
    served_yaml = requests.get(server.base_url + "/v1/openapi.yaml", timeout=10)
    assert served_yaml.text == OPENAPI_PATH.read_text(encoding="utf-8")
    assert served.json()["openapi"].startswith("3.1")


@UNSIGNED.parametrize()
@settings(
    max_examples=8, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_unauthenticated_requests_never_5xx(case, fuzz_server):
    server, _ = fuzz_server
    with requests.Session() as session:
        case.call_and_validate(base_url=server.base_url, session=session, checks=CHECKS, timeout=10)


@SIGNED.parametrize()
@settings(
    max_examples=10, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_signed_requests_never_5xx(case, fuzz_server, seen_statuses):
    server, secret = fuzz_server
    if isinstance(case.body, dict) and isinstance(case.body.get("kiosk_id"), str):
        case.body["kiosk_id"] = "K-FUZZ"  # reach past the kiosk_mismatch check
    with requests.Session() as session:
        session.auth = KioskAuth("K-FUZZ", secret)
        response = case.call_and_validate(
            base_url=server.base_url, session=session, checks=CHECKS, timeout=10
        )
    seen_statuses[(f"{case.method} {case.path}", response.status_code)] += 1


def test_signed_fuzzing_reached_the_handlers(seen_statuses):
    """The signature was accepted (not only 401s) and handlers answered successfully and with 4xx."""
    assert seen_statuses, "the signed fuzzing tests did not run"
    statuses = {status for (_op, status) in seen_statuses}
    assert statuses & {200, 201, 204}
    assert statuses & {400, 404, 409, 412, 422}
    ops_past_auth = {op for (op, status) in seen_statuses if status != 401}
    assert len(ops_past_auth) >= 8, ops_past_auth
