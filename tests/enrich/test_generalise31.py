"""PortAudio (named in any file that carries it, its release from Pa_GetVersion(), a git
build told apart by the commit its text names) and the C functions a CFFI module wraps."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import native, wheel_by_prefix


@pytest.mark.slow
def test_portaudio_release_snapshot_and_static_copy() -> None:
    # sounddevice's libportaudio.dylib (universal2) and its six Windows DLLs: Pa_GetVersion()
    # returns 0x130700 and the text says "revision unknown" -> 19.7.0, one component
    g = catalog_artifact(wheel_by_prefix("sounddevice-", "mac", ("untuned9.json",)))
    pa = [c for c in native(g) if c.name == "portaudio"]
    assert [c.version for c in pa] == ["19.7.0"]
    # pyezgame's macOS build and medussa's Windows DLL name their commit, 147dd72...: the v19.7.0
    # tag's own commit (untuned59's first measurement counted '19.7.0-147dd72...' as wrong), so
    # the release, not a snapshot after it
    for prefix, platform, batch in (("pyezgame-", "mac", "untuned32.json"),
                                    ("medussa-", "win", "untuned59.json")):
        g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
        pa = [c for c in native(g) if c.name == "portaudio"]
        assert [c.version for c in pa] == ["19.7.0"], prefix
        assert any("revision 147dd722548358763a8b649b3e4b41dfffbcfbb6" in e.detail for e in pa[0].evidence)
    # Csound's rtpa.dll links it statically and exports none of it: named by its text, and no
    # version (a vcpkg build of a commit whose text says "revision unknown")
    g = catalog_artifact(wheel_by_prefix("cycsound-", "win", ("untuned27.json",)))
    pa = [c for c in native(g) if c.name == "portaudio"]
    assert [(c.version, c.prop("assay:path")) for c in pa] == [(None, "cycsound/plugins/rtpa.dll")]


@pytest.mark.slow
def test_functions_a_cffi_module_wraps_are_read_by_name() -> None:
    # pycares' _cares.pyd is stripped and exports only PyInit__cares, but CFFI's globals table
    # names each c-ares function it wraps beside its direct function, a jmp into the static copy:
    # ares_version() returns "1.34.9", and 52 ares_* names say the copy is there
    g = catalog_artifact(wheel_by_prefix("pycares-5.2.1-cp315-cp315-win_amd64", "win", ("untuned.json",)))
    ares = [c for c in native(g) if c.name == "c-ares"]
    assert [c.version for c in ares] == ["1.34.9"]
    assert {e.kind for e in ares[0].evidence} >= {"symbol", "symbol-prefix"}
    # a second module: cryptography 41's _rust.pyd names OpenSSL's functions the same way, and
    # OpenSSL_version_num() then agrees with the banner
    from pypi import pypi_file

    from .bundled_wheelset import WHEELS

    name = "cryptography-41.0.3-cp37-abi3-win_amd64.whl"
    g = catalog_artifact(pypi_file(name, WHEELS[name]))
    ssl = [c for c in native(g) if c.name == "openssl"]
    assert [c.version for c in ssl] == ["3.1.2"]
    assert any(e.kind == "symbol" and e.detail.startswith("OpenSSL_version_num") for e in ssl[0].evidence)
