"""PortAudio: named in any file that carries it, its release from Pa_GetVersion(), and a git
build told apart from the release by the commit its version text names."""

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
    # pyezgame's build names its commit: the same number, but a snapshot after the release
    g = catalog_artifact(wheel_by_prefix("pyezgame-", "mac", ("untuned32.json",)))
    assert {c.version for c in native(g) if c.name == "portaudio"} == {
        "19.7.0-147dd722548358763a8b649b3e4b41dfffbcfbb6"}
    # Csound's rtpa.dll links it statically and exports none of it: named by its text, and no
    # version (a vcpkg build of a commit whose text says "revision unknown")
    g = catalog_artifact(wheel_by_prefix("cycsound-", "win", ("untuned27.json",)))
    pa = [c for c in native(g) if c.name == "portaudio"]
    assert [(c.version, c.prop("assay:path")) for c in pa] == [(None, "cycsound/plugins/rtpa.dll")]
