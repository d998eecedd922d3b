"""The optional vendor-library backend.

No real vendor library exists here. These tests prove the configuration errors and, when a C
compiler is present, drive the ctypes bindings against a stub library compiled by the test (it
implements the documented SDT_* signatures; it says nothing about a real vendor's behaviour).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import time

import pytest

from devices.id_card.samples import sample_card
from devices.id_card.sdtapi import SdtApi, SdtApiLibraryError, SdtApiReader
from devices.id_card.text import encode_text_block
from devices.model import Availability, DeviceError, DeviceUnavailable, EventKind, ResultCode


def test_missing_library_is_a_clear_error(tmp_path):
    path = str(tmp_path / "libsdtapi.so")
    with pytest.raises(SdtApiLibraryError) as err:
        SdtApiReader(path)
    assert err.value.code == ResultCode.UNSUPPORTED
    assert "not found" in err.value.detail and path in err.value.detail


def test_unconfigured_library():
    with pytest.raises(SdtApiLibraryError, match="no vendor library configured"):
        SdtApi("")


def test_unloadable_file(tmp_path):
    bogus = tmp_path / "libsdtapi.so"
    bogus.write_bytes(b"not an ELF file")
    with pytest.raises(SdtApiLibraryError, match="cannot load"):
        SdtApi(str(bogus))


def test_library_without_sdt_functions():
    libc = ctypes.util.find_library("c")
    if libc is None:
        pytest.skip("no libc found by ctypes")
    with pytest.raises(SdtApiLibraryError, match="lacks SDT_OpenPort"):
        SdtApi(libc)


STUB = r"""
#include <string.h>
static unsigned char text_block[256], photo_block[1024];
static int present = 0, port_open = 0;
void stub_set_card(const unsigned char *t, const unsigned char *p, int on) {
    memcpy(text_block, t, 256); memcpy(photo_block, p, 1024); present = on;
}
int SDT_OpenPort(int port) { if (port != 1001) return 0x01; port_open = 1; return 0x90; }
int SDT_ClosePort(int port) { port_open = 0; return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *iin, int o) { memset(iin, 0, 4); return present ? 0x9F : 0x80; }
int SDT_SelectIDCard(int port, unsigned char *sn, int o) { memset(sn, 0, 8); return present ? 0x90 : 0x81; }
int SDT_ReadBaseMsg(int port, unsigned char *ch, unsigned int *chlen, unsigned char *ph, unsigned int *phlen, int o) {
    if (!present) return 0x41;
    memcpy(ch, text_block, 256); *chlen = 256; memcpy(ph, photo_block, 1024); *phlen = 1024; return 0x90;
}
"""


@pytest.fixture
def stub_library(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the stub library")
    src, lib = tmp_path / "stub.c", tmp_path / "libsdtstub.so"
    src.write_text(STUB)
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True, timeout=60)
    handle = ctypes.CDLL(str(lib))  # the same instance SdtApi will load

    def set_card(card, on=True):
        text = encode_text_block(card) if card else bytes(256)
        photo = card.photo_wlt if card else bytes(1024)
        handle.stub_set_card(text, photo, int(on))

    return str(lib), set_card


def test_reader_through_the_stub_library(stub_library):
    lib, set_card = stub_library
    set_card(None, on=False)
    reader = SdtApiReader(lib, 1001, poll_interval=0.03)
    events = []
    reader.add_listener(events.append)
    reader.start()
    try:
        with pytest.raises(DeviceError) as err:
            reader.read_once(timeout=0.2)
        assert err.value.code == ResultCode.NO_MEDIA
        set_card(sample_card("hmt-permit"))
        deadline = time.monotonic() + 3
        while not any(e.kind == EventKind.DATA_READ for e in events) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [e.data for e in events if e.kind == EventKind.DATA_READ] == [sample_card("hmt-permit")]
        assert reader.read_once(timeout=1.0) == sample_card("hmt-permit")
        assert reader.info.backend == "sdtapi"
    finally:
        reader.stop()


def test_stub_wrong_port_is_power_off(stub_library):
    lib, _ = stub_library
    reader = SdtApiReader(lib, 7, poll_interval=0.03)
    reader.start()
    try:
        with pytest.raises(DeviceUnavailable, match="SDT_OpenPort"):
            reader.read_once(timeout=1.0)
        assert reader.status.availability == Availability.POWER_OFF
    finally:
        reader.stop()
