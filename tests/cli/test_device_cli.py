"""``kiosk devices`` and ``kiosk device …`` end to end, with real peers: the GA 467 emulator on a
real pty, the ESC/POS emulator on loopback TCP, sample media files, the simulated card slot."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from devices.id_card.cli import card_to_json
from devices.id_card.protocol import READ_BASE
from devices.id_card.samples import SAMPLE_KEYS, sample_card
from devices.id_card.simulator import Fault
from devices.printer.cli import TEST_QR_PAYLOAD

REPO = Path(__file__).resolve().parents[2]
MEDIA = REPO / "resources" / "media"
BASE_FIELDS = {"name", "sex", "nation", "birth", "address", "id_number", "authority", "valid_from",
               "valid_to", "card_type"}  # fmt: skip


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----- read-id against the SAM emulator on a real pseudo-terminal -----
@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_read_id_every_card_type_over_a_real_pty(kiosk, sam_emulator, key):
    sam_emulator.place_card(sample_card(key))
    slave = os.path.realpath(sam_emulator.port)  # the pty's slave device, e.g. /dev/pts/3
    assert slave.startswith("/dev/")
    result = kiosk(
        "device", "read-id", "--backend", "sam-serial", "--port", slave, "--timeout", "2", "--json"
    )
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) >= BASE_FIELDS
    assert data == json.loads(json.dumps(card_to_json(sample_card(key)), ensure_ascii=False))
    assert sam_emulator.count(READ_BASE) == 1


def test_read_id_permit_fields_and_text_output(kiosk, sam_emulator):
    sam_emulator.place_card(sample_card("hmt-permit"))
    result = kiosk("device", "read-id", "--backend", "sam-serial", "--port", sam_emulator.port)
    assert result.code == 0
    assert "pass_number" in result.out and "H60218345" in result.out and "陈嘉欣" in result.out


def test_read_id_mask(kiosk, sam_emulator):
    sam_emulator.place_card(sample_card("resident"))
    result = kiosk(
        "device", "read-id", "--backend", "sam-serial", "--port", sam_emulator.port, "--json", "--mask"
    )
    data = result.json()
    assert data["id_number"] == "3301**********1272" and data["name"] == "李**" and data["address"] == ""
    assert "330106198507141272" not in result.out and "李明华" not in result.out


def test_read_id_without_a_card_fails_clearly_within_the_timeout(kiosk, sam_emulator):
    result = kiosk("device", "read-id", "--backend", "sam-serial", "--port", sam_emulator.port,
                   "--timeout", "0.5", "--json")  # fmt: skip
    assert result.code == 1 and result.out == ""
    assert "no card on the reader" in result.err and "place the card" in result.err
    assert result.seconds < 3


def test_read_id_garbage_instead_of_a_reader(kiosk, sam_emulator):
    sam_emulator.place_card(sample_card())
    sam_emulator.inject(Fault.GARBAGE, times=1000)
    result = kiosk(
        "device", "read-id", "--backend", "sam-serial", "--port", sam_emulator.port, "--timeout", "1"
    )
    assert result.code == 1
    assert "no SAM reader answering" in result.err and "GA 467 SAM protocol" in result.err
    assert result.seconds < 6


def test_read_id_garbage_in_the_card_data(kiosk, sam_emulator):
    sam_emulator.place_card(sample_card())
    sam_emulator.inject(Fault.BAD_CHECKSUM, command=READ_BASE)
    result = kiosk(
        "device", "read-id", "--backend", "sam-serial", "--port", sam_emulator.port, "--timeout", "1"
    )
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("kiosk: invalid-data:") and "checksum" in result.err
    assert "unusable data" in result.err


def test_read_id_missing_port_and_bad_arguments(kiosk, tmp_path):
    missing = kiosk("device", "read-id", "--backend", "sam-serial", "--port", str(tmp_path / "ttyUSB9"))
    assert missing.code == 1 and "not found" in missing.err and "ls /dev/ttyUSB*" in missing.err
    assert kiosk("device", "read-id", "--backend", "sam-serial").code == 2  # no port anywhere
    assert kiosk("device", "read-id", "--backend", "usb-magic").code == 2
    assert kiosk("device", "read-id", "--timeout", "-1").code == 2
    assert kiosk("device", "read-id", "--backend", "sdtapi").code == 2  # no library


def test_read_id_simulator_backend_and_config_defaults(kiosk, write_config, sam_emulator):
    sim = kiosk("device", "read-id", "--backend", "simulator", "--sample", "foreigner", "--json")
    assert sim.code == 0 and sim.json()["english_name"] == "MUELLER, ANNA MARIA"
    empty = kiosk("device", "read-id", "--backend", "simulator", "--sample", "none", "--timeout", "0.3")
    assert empty.code == 1 and "no card" in empty.err
    sam_emulator.place_card(sample_card("resident-long-term"))
    config = write_config(
        {"devices.id_reader": {"backend": "sam-serial", "port": sam_emulator.port}}, "sam.toml"
    )
    from_config = kiosk("device", "read-id", "--json", config=config)
    assert from_config.code == 0 and from_config.json()["valid_to"] == "长期"


# ----- read-card -----
def test_read_card_simulator(kiosk):
    result = kiosk("device", "read-card", "--backend", "simulator", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["name"] == "张三" and data["card_number"] == "TEST00001" and data["id_number_valid"] is True
    masked = kiosk("device", "read-card", "--backend", "simulator", "--json", "--mask").json()
    assert masked["name"] == "张*" and masked["id_number"].startswith("1101") and "*" in masked["id_number"]


# ----- print-test against the TCP printer emulator -----
def test_print_test_over_the_network(kiosk, printer_emulator):
    result = kiosk("device", "print-test", "--backend", "network", "--host", "127.0.0.1",
                   "--port", str(printer_emulator.port), "--paper", "58", "--json")  # fmt: skip
    assert result.code == 0, result.err
    report = result.json()
    assert report["ok"] and report["confirmed"] and report["bytes_sent"] > 100
    assert printer_emulator.wait_for(lambda paper: paper and paper[-1].cuts, 2.0)
    job = printer_emulator.paper[-1]
    assert "办事回执" in job.text and "￥0.00（免费）" in job.text and "全角标点：，。；" in job.text
    assert [qr.payload for qr in job.qr_codes] == [TEST_QR_PAYLOAD]
    assert max(len(line.text) for line in job.lines) <= 32  # 58 mm paper


def test_print_test_uses_the_configured_printer(kiosk, write_config, printer_emulator):
    config = write_config({"devices.printer": {"backend": "network", "port": printer_emulator.port,
                                               "paper_mm": 80, "encoding": "raster"}}, "net.toml")  # fmt: skip
    result = kiosk("device", "print-test", config=config)
    assert result.code == 0, result.err
    assert "result: success" in result.out and "printer confirmed" in result.out
    assert {img.width_dots for img in printer_emulator.paper[-1].images} == {576}


def test_print_test_preview_writes_a_png_and_prints_nothing(kiosk, tmp_path, printer_emulator):
    out = tmp_path / "receipt.png"
    result = kiosk("device", "print-test", "--backend", "network", "--port", str(printer_emulator.port),
                   "--paper", "80", "--preview", str(out))  # fmt: skip
    assert result.code == 0 and str(out) in result.out
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size[0] == 576 + 2 * 32 + 48 and image.size[1] > 600
    assert printer_emulator.bytes_received == 0


def test_print_test_to_a_closed_port_fails_within_the_timeout(kiosk):
    port = _closed_port()
    result = kiosk("device", "print-test", "--backend", "network", "--port", str(port), "--timeout", "3")
    assert result.code == 1
    assert f"cannot connect to 127.0.0.1:{port}" in result.err and f"nc -vz 127.0.0.1 {port}" in result.err
    assert result.seconds < 3


def test_print_test_paper_out(kiosk, printer_emulator):
    printer_emulator.set_state(paper="out")
    result = kiosk("device", "print-test", "--backend", "network", "--port", str(printer_emulator.port))
    assert result.code == 1 and "paper out" in result.err and "paper roll" in result.err


def test_print_test_bad_arguments(kiosk):
    assert kiosk("device", "print-test", "--backend", "network", "--port", "70000").code == 2
    assert kiosk("device", "print-test", "--paper", "76").code == 2
    assert kiosk("device", "print-test", "--encoding", "latin1").code == 2


# ----- snapshot on sample media -----
def test_snapshot_decodes_the_sample_qr_code(kiosk):
    result = kiosk("device", "snapshot", "--source", str(MEDIA / "qr_receipt.png"), "--decode-qr", "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert [c["payload"] for c in report["qr"]["codes"]] == [
        "回执号：BJ-2024-0611-000123 居住证明申请已受理（示例）"
    ]
    assert "face" not in report and report["frame"] == {"width": 270, "height": 270}


def test_snapshot_document_and_face(kiosk, tmp_path):
    out = tmp_path / "page.png"
    doc = kiosk(
        "device", "snapshot", "--source", str(MEDIA / "document_desk.jpg"), "--document", str(out), "--json"
    )
    assert doc.code == 0 and doc.json()["document"]["kind"] == "a4" and out.is_file()
    face = kiosk("device", "snapshot", "--source", str(MEDIA / "face_synthetic.jpg"), "--face", "--json")
    assert face.code == 0 and face.json()["face"]["count"] == 1


def test_snapshot_missing_file(kiosk, tmp_path):
    result = kiosk("device", "snapshot", "--source", str(tmp_path / "none.png"), "--timeout", "2")
    assert result.code == 1 and "media not found" in result.err and "devices.camera.source" in result.err
    assert result.seconds < 3


# ----- kiosk devices -----
def test_devices_json_lists_all_four_simulators_online(kiosk):
    result = kiosk("devices", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["kiosk"]["state"] == "AVAILABLE"
    devices = {d["name"]: d for d in data["devices"]}
    assert list(devices) == ["id_reader", "smart_card", "printer", "camera"]
    for device in devices.values():
        assert device["availability"] == "online" and device["backend"] == "simulator", device
        assert device["model"]
    assert devices["id_reader"]["required"] and devices["printer"]["supply"] == "full"
    assert result.seconds < 5


def test_devices_table_with_a_broken_required_device(kiosk, write_config, tmp_path):
    config = write_config({"devices.id_reader": {"backend": "sam-serial", "port": str(tmp_path / "ttyUSB0")},
                           "devices.camera": {"backend": "none"}}, "broken.toml")  # fmt: skip
    result = kiosk("devices", config=config)
    assert result.code == 1
    assert "UNAVAILABLE (OUT_OF_SERVICE_HARDWARE: id_reader)" in result.out
    assert "id_reader: serial port" in result.out and "absent" in result.out


def test_demo_flag_lists_the_simulators_instead(kiosk, write_config, tmp_path):
    config = write_config({"devices.id_reader": {"backend": "sam-serial", "port": str(tmp_path / "ttyUSB0")},
                           "devices.camera": {"backend": "none"}}, "real.toml")  # fmt: skip
    result = kiosk("--demo", "devices", "--json", config=config)
    assert result.code == 0, result.out
    backends = {d["name"]: d["backend"] for d in result.json()["devices"]}
    assert backends == {"id_reader": "simulator", "smart_card": "simulator", "printer": "simulator",
                        "camera": "none"}  # fmt: skip


# ----- the real entry point -----
def test_main_py_reads_an_id_card_in_a_subprocess(sam_emulator, write_config):
    sam_emulator.place_card(sample_card("foreigner-2023"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    proc = subprocess.run(
        [sys.executable, "main.py", "--config", str(write_config()), "device", "read-id",
         "--backend", "sam-serial", "--port", sam_emulator.port, "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id_number"] == "931826197805220114"
    bad = subprocess.run(
        [sys.executable, "main.py", "--config", str(write_config()), "device", "read-id", "--baud", "123"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
