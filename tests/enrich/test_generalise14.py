"""Rules written against the misses and wrong versions of the fourteenth untuned batch (Windows,
``untuned14.json``), each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.native import scan_binary
from assay.enrich.bundled.rules import matcher
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: wheels of other projects
OTHER = {
    "mitmproxy_windows-0.11.5-py3-none-any.whl":
        "76035ddf3067b07a2200e286a9fdb3d447cd4a9755dca1d5cb06935947b52592",
    "skia_python-144.1-cp312-cp312-manylinux_2_28_x86_64.whl":
        "b8d0b6995f95308edbf0ef57e1f31ee9bb5ac5d428c1e0ab8e5e9deda2783698",
}


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned14 or untuned.json, of the corpus plan (``corpus:<project>``) or
    of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "win", ("untuned14.json", "untuned.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_zlib_ng_own_version_text() -> None:
    # zlib-ng in its zlib-compatible build keeps no symbol in a DLL, and its zlib-like texts
    # (" inflate 1.3.1 ", "1.3.1.zlib-ng") are the API it emulates: its own " zlib-ng 2.2.1" text
    # names it. OpenGeode-IO's mesh DLL was reported as zlib 1.3.1 (wrong) and no zlib-ng
    geode = _graph("opengeode_io-")
    assert _versions(geode, "zlib-ng") == {"2.2.1"}
    assert not _versions(geode, "zlib")
    # another project's: Pillow's Windows extensions (zlib-ng 2.3.3, were zlib 1.3.1)
    pillow = _graph("corpus:pillow")
    assert _versions(pillow, "zlib-ng") == {"2.3.3"}
    assert "1.3.1" not in _versions(pillow, "zlib")


@pytest.mark.slow
def test_zlib_development_snapshot_kept_as_written() -> None:
    # Chromium's zlib is a snapshot of zlib's develop branch: ZLIB_VERSION "1.2.13.1-motley", its
    # banners " deflate 1.2.13.1 ". The bare number passed for a release (wrong); the marked text
    # is kept, backed by the banners too. Spire.XLS' libSkiaSharp, beside the NativeAOT DLL's own
    # zlib 1.2.13 (a release, in another file)
    spire = _graph("spire_xls-")
    assert _versions(spire, "zlib") == {"1.2.13.1-motley", "1.2.13"}
    motley = [e for e in _evidence(spire, "zlib") if "libSkiaSharp" in e.location]
    assert any("-motley" in e.detail for e in motley) and any("deflate" in e.detail for e in motley)
    # other projects': PDFium in pypdfium2 (untuned.json) and gRPC's Cython module (corpus)
    assert _versions(_graph("pypdfium2-"), "zlib") == {"1.3.2.1-motley"}
    assert _versions(_graph("corpus:grpcio"), "zlib") == {"1.3.1.1-motley"}


@pytest.mark.slow
def test_pdcurses_notice() -> None:
    # PDCurses' notice "PDCurses 3.9 - Mar 31 2026" in windows-curses' _curses module (was not
    # found). No second project on PyPI was found shipping PDCurses in a Windows wheel (the
    # windows-curses wheels are its only home there), so this one stands alone
    curses = _graph("windows_curses-")
    assert _versions(curses, "pdcurses") == {"3.9"}
    assert any("PDCurses 3.9 - " in e.detail for e in _evidence(curses, "pdcurses"))


@pytest.mark.slow
def test_pe_own_pdb_path_names_its_release() -> None:
    # WinDivert's driver keeps no version text, and its fixed VERSIONINFO says 2.0.0.0 (its
    # ProductName 'WinDivert 2.2 driver'): the linker's record of its own PDB,
    # C:\WinDivert-2.2.2\install\MSVC\amd64\WinDivert64.pdb, names the release tree it was built
    # from (pydivert; was not found)
    divert = _graph("pydivert-")
    assert _versions(divert, "windivert") == {"2.2.2"}
    assert any(e.kind == "pdb-path" for e in _evidence(divert, "windivert"))
    # another project's wheel: mitmproxy's Windows redirector ships the same driver (the same bytes:
    # across the Windows wheels of the corpus and batches no other PE file's PDB path runs through a
    # release tree of its own project, so no different binary is at hand)
    assert _versions(_graph("mitmproxy_windows-"), "windivert") == {"2.2.2"}


def _member_versions(prefix: str, member: str, name: str) -> set[str | None]:
    """The versions of ``name`` that scanning one file of a wheel gives."""
    data = zipfile.ZipFile(_wheel(prefix)).read(member)
    scan = scan_binary(member, data, matcher())
    assert scan is not None
    return {d.version for d in scan.detections if d.library.name == name}


@pytest.mark.slow
def test_version_the_code_loads_after_its_anchor() -> None:
    # x86-64 code that passes a library's own version text right after a fixed text of its own,
    # where no banner and no symbol is left: libpng's mismatch message ("Application built with
    # libpng-" ... " but running with " PNG_LIBPNG_VER_STRING) in Spire.XLS' libSkiaSharp (1.6.40),
    # hwloc's hwloc_obj_add_info(root, "hwlocVersion", HWLOC_VERSION) in Intel MPI's
    # hydra_pmi_proxy.exe (2.11.2rc2, kept as written). Both were not found
    assert "1.6.40" in _versions(_graph("spire_xls-"), "libpng")
    hwloc = _graph("impi_rt-")
    assert _versions(hwloc, "hwloc") == {"2.11.2rc2"}
    assert any("hwlocVersion" in e.detail for e in _evidence(hwloc, "hwloc"))
    # other projects': skia-python's Linux module, an ELF file (its static libpng 1.6.51, untuned10's
    # truth), and the Intel OpenMP runtime in PyTorch's Windows wheel (its hwloc 2.11.2)
    assert _member_versions("skia_python-", "skia.cpython-312-x86_64-linux-gnu.so", "libpng") == {"1.6.51"}
    assert _member_versions("corpus:torch", "torch/lib/libiomp5md.dll", "hwloc") == {"2.11.2"}
