"""Canonical JSON, Ed25519 keys, certificates and publication verification (pure functions)."""

from __future__ import annotations

import copy
import hashlib
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.platform import signing
from kiosk.platform.signing import SignatureError

ROOT = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SIGNER = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
NOT_AFTER = datetime(2030, 1, 1, tzinfo=UTC)
NOW = datetime(2029, 6, 1, tzinfo=UTC)
RECORDS = [
    {"kind": "item", "id": "0002", "data": {"name": "居民身份证补领", "fee": 0, "tags": ["户籍", "证件"]}},
    {"kind": "bundle", "id": "b1", "data": {"name": "新生儿出生“一件事”", "items": ["0002"]}},
    {
        "kind": "item",
        "id": "0001",
        "data": {"name": "社会保险缴费证明开具", "note": '"引号"\n换行', "ratio": 0.5},
    },
]
# Test vectors: any change to canonicalisation or signing breaks these (and every signed catalog).
VECTOR_MESSAGE = (
    '{"expires":"2030-01-01T00:00:00Z","records":['
    '{"data":{"items":["0002"],"name":"新生儿出生“一件事”"},"id":"b1","kind":"bundle"},'
    '{"data":{"name":"社会保险缴费证明开具","note":"\\"引号\\"\\n换行","ratio":0.5},"id":"0001","kind":"item"},'
    '{"data":{"fee":0,"name":"居民身份证补领","tags":["户籍","证件"]},"id":"0002","kind":"item"}'
    '],"version":7}'
)
VECTOR_SHA256 = "d76b475f2125b6805c45426206bdd22c8ecce40a0b5ffe5ee2ab695b083d76e6"
VECTOR_ROOT_PUBLIC = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
VECTOR_CERTIFICATE = (
    "gp1W5e+AGXTiihYGt5qj+0ocQWRJU2zbXCDjqX39ShxRA/LG2jtfS+6C9hPngx+Qp4UO+vAqxLrkIE2DffHqDQ=="
)
VECTOR_SIGNATURE = "iciE/W0P0R6tJRekuCayX8pHpUbgBG8FoRx9Glt9c17yKNgbLtsYIlDs4xr0z5jZ7nSB8Jc4idy0/+xNKotMBQ=="


def _publication(
    records=RECORDS, version=7, expires="2030-01-01T00:00:00Z", signer=SIGNER, root=ROOT, not_after=NOT_AFTER
):
    cert = signing.certify_signing_key(root, signer, not_after)
    signed = signing.sign_publication(records, version, expires, signer, cert)
    return {**signed, "records": copy.deepcopy(records)}


def test_canonical_json_is_sorted_compact_utf8():
    assert (
        signing.canonical_json({"b": 1, "a": ["证", 0.5, None, True]})
        == '{"a":["证",0.5,null,true],"b":1}'.encode()
    )
    with pytest.raises(ValueError):
        signing.canonical_json({"x": float("nan")})


def test_vectors_with_chinese_text():
    message = signing.publication_message(RECORDS, 7, "2030-01-01T00:00:00Z")
    assert message.decode("utf-8") == VECTOR_MESSAGE
    assert hashlib.sha256(message).hexdigest() == VECTOR_SHA256
    assert signing.b64e(signing.raw_public_key(ROOT)) == VECTOR_ROOT_PUBLIC
    assert signing.key_id(ROOT) == "56475aa75463474c"
    assert signing.key_id(SIGNER) == "24f6ed6acbfe1009"
    publication = _publication()
    assert publication["signer"]["certificate"] == VECTOR_CERTIFICATE
    assert publication["signature"]["value"] == VECTOR_SIGNATURE
    summary = signing.verify_publication(publication, [VECTOR_ROOT_PUBLIC], NOW)
    assert summary == {
        "version": 7,
        "expires": "2030-01-01T00:00:00Z",
        "key_id": "24f6ed6acbfe1009",
        "root_key_id": "56475aa75463474c",
        "signer_not_after": "2030-01-01T00:00:00Z",
    }


def test_record_order_does_not_matter_but_content_does():
    publication = _publication()
    publication["records"] = list(reversed(publication["records"]))
    signing.verify_publication(publication, [ROOT.public_key()], NOW)
    publication["records"][0]["data"]["name"] += " "
    with pytest.raises(SignatureError) as err:
        signing.verify_publication(publication, [ROOT.public_key()], NOW)
    assert err.value.reason == "bad_signature"


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda p: p.update(version=8), "bad_signature"),
        (lambda p: p.update(expires="2031-01-01T00:00:00Z"), "bad_signature"),
        (lambda p: p["records"].pop(), "bad_signature"),
        (lambda p: p["records"].append({"kind": "item", "id": "9", "data": {}}), "bad_signature"),
        (lambda p: p.pop("signature"), "unsigned"),
        (lambda p: p.pop("signer"), "unsigned"),
        (lambda p: p["signer"].update(not_after="2031-01-01T00:00:00Z"), "bad_certificate"),
        (lambda p: p["signer"].update(root_key_id="0000000000000000"), "unknown_root"),
        (lambda p: p["signature"].update(value=signing.b64e(b"\0" * 64)), "bad_signature"),
        (lambda p: p["signature"].update(alg="ES256"), "malformed"),
        (lambda p: p.update(expires="not a time"), "malformed"),
    ],
)
def test_tampering_is_rejected_with_a_reason(mutate, reason):
    publication = _publication()
    mutate(publication)
    with pytest.raises(SignatureError) as err:
        signing.verify_publication(publication, [ROOT.public_key()], NOW)
    assert err.value.reason == reason


def test_signer_swapped_for_an_uncertified_key_is_rejected():
    publication = _publication()
    rogue = Ed25519PrivateKey.generate()
    publication["signer"]["public_key"] = signing.b64e(signing.raw_public_key(rogue))
    with pytest.raises(SignatureError) as err:
        signing.verify_publication(publication, [ROOT.public_key()], NOW)
    assert err.value.reason == "bad_certificate"


def _reason(publication, roots, now, **kw):
    with pytest.raises(SignatureError) as err:
        signing.verify_publication(publication, roots, now, **kw)
    return err.value.reason


def test_unknown_root_expired_signer_expired_publication_and_rollback():
    publication = _publication()
    roots = [ROOT.public_key()]
    assert _reason(publication, [Ed25519PrivateKey.generate().public_key()], NOW) == "unknown_root"
    assert _reason(publication, roots, NOT_AFTER + timedelta(seconds=1)) == "signer_expired"
    short = _publication(expires="2029-06-01T00:00:00Z")
    signing.verify_publication(short, roots, NOW)
    assert _reason(short, roots, NOW + timedelta(seconds=1)) == "expired"
    assert _reason(publication, roots, NOW, min_version=8) == "rollback"
    signing.verify_publication(publication, roots, NOW, min_version=7)


def test_trusted_roots_accept_bytes_base64_and_key_objects():
    publication = _publication()
    for root in (signing.raw_public_key(ROOT), VECTOR_ROOT_PUBLIC, ROOT.public_key()):
        signing.verify_publication(publication, [root], NOW)
    with pytest.raises(ValueError):
        signing.load_public_key(b"short")


def test_apply_changeset_then_verify_full_set():
    old = _publication()["records"]
    new_records = [r for r in RECORDS if r["id"] != "b1"] + [
        {"kind": "item", "id": "0003", "data": {"name": "新"}}
    ]
    target = _publication(records=new_records, version=8)
    changeset = {
        "full": False,
        "upserts": [{"kind": "item", "id": "0003", "data": {"name": "新"}}],
        "tombstones": [{"kind": "bundle", "id": "b1"}],
    }
    applied = signing.apply_changeset(old, changeset)
    signing.verify_publication({**target, "records": applied}, [ROOT.public_key()], NOW)
    missing_tombstone = signing.apply_changeset(old, {**changeset, "tombstones": []})
    assert _reason({**target, "records": missing_tombstone}, [ROOT.public_key()], NOW) == "bad_signature"


def test_private_keys_are_saved_0600_and_round_trip(tmp_path):
    path = tmp_path / "keys" / "k.pem"
    signing.save_private_key(SIGNER, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert signing.key_id(signing.load_private_key(path)) == signing.key_id(SIGNER)


def test_sign_publication_refuses_a_foreign_certificate():
    cert = signing.certify_signing_key(ROOT, Ed25519PrivateKey.generate(), NOT_AFTER)
    with pytest.raises(ValueError):
        signing.sign_publication(RECORDS, 1, NOT_AFTER, SIGNER, cert)
