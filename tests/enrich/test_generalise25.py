"""Rules written against the misses of the twenty-fifth untuned batch (Linux, unranked projects,
``untuned25.json``), each checked on a second real binary from another project."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.decode import format_int
from assay.model import Graph

from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI, pinned by sha256: pyalsoft grafts its own OpenAL Soft build (it was on
# untuned25's candidate list after the project where the walk stopped, so it is not in the batch)
OTHER = {
    "pyalsoft-1.8.0-py3-none-manylinux_2_28_x86_64.whl":
        "44b5cc1e789b0bbeb043406574703bcb4db938b5e84c204fa550ca82d33dbb3e",
    # PySCIPOpt's Linux wheel: libscip with IPOPT and MUMPS compiled in (untuned6 took its macOS
    # wheel; README: "the Linux build assembles 'MUMPS 5.8.2' in code, so there it stays unknown")
    "pyscipopt-6.3.0-cp314-cp314-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl":
        "0a6e33a62b477a5ed78393784a0b6f78d04a004f2bcfda9cb56058407ee9ba84",
}

BATCHES = ("untuned25.json", "untuned5.json", "untuned.json")


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES, OTHER))


def _found(prefix: str, name: str, platform: str = "linux") -> set[str | None]:
    return _versions(_graph(prefix, platform), name)


@pytest.mark.slow
def test_duckdb_library_version() -> None:
    # duckdb::DuckDB::LibraryVersion() returns DUCKDB_VERSION, "v" and the release: csvdb-py's Rust
    # extension with DuckDB 1.4.4 compiled in (local symbols only; duckdb_library_version() is a
    # jump to it) and bareduckdb's grafted libduckdb.so (1.5.5, exported); DuckDB was not in the
    # table, so the first was not reported at all
    assert _found("csvdb_py-", "duckdb") == {"1.4.4"}
    assert _found("bareduckdb-", "duckdb") == {"1.5.5"}
    # second binaries: the DuckDB project's own wheels, Linux x86-64 and macOS arm64 (2.0.1)
    assert _found("corpus-linux:duckdb", "duckdb") == {"2.0.1"}
    assert _found("corpus:duckdb", "duckdb", "mac") == {"2.0.1"}


@pytest.mark.slow
def test_openal_soft_from_its_al_version_text() -> None:
    # alGetString(AL_VERSION) is "1.1 ALSOFT <release>": cyal's libopenal.so.1.23.1 (not reported
    # before: no OpenAL Soft in the table)
    assert _found("cyal-", "openal-soft") == {"1.23.1"}
    # second binary: pyalsoft's own build, 1.25.2
    assert _found("pyalsoft-", "openal-soft") == {"1.25.2"}


def test_hex_digit_fields() -> None:
    # ":hex" reads a field's hex digits as its decimal number (libass's LIBASS_VERSION)
    fields = [">>28&0xf:hex", ">>20&0xff:hex", ">>12&0xff:hex"]
    assert format_int(0x01701000, fields) == "0.17.1"
    assert format_int(0x01700000, fields) == "0.17.0"
    assert format_int(0x00908000, fields) == "0.9.8"
    # a field whose hex digits are no decimal number proves nothing
    assert format_int(0x01A00000, fields) is None
    assert format_int(0x10301, [">>16&0xff", ">>8&0xff", ">>0&0xff"]) == "1.3.1"


@pytest.mark.slow
def test_libass_version_from_its_hex_digits() -> None:
    # ass_library_version() returns 0x01700000 in ffpyplayer's grafted libass (reported without a
    # version before)
    assert _found("ffpyplayer-", "libass") == {"0.17.0"}
    # second binary: opencv-python's macOS arm64 wheel grafts libass.9.dylib, 0x01704000
    assert _found("corpus:opencv-python", "libass", "mac") == {"0.17.4"}


@pytest.mark.slow
def test_fribidi_version_text() -> None:
    # fribidi_version_info points to "(GNU FriBidi) 1.0.12\ninterface version 4, ...": ffpyplayer's
    # grafted libfribidi (reported without a version before)
    assert _found("ffpyplayer-", "fribidi") == {"1.0.12"}
    # second binary: opencv-python's macOS arm64 wheel, libfribidi.0.dylib (1.0.16)
    assert _found("corpus:opencv-python", "fribidi", "mac") == {"1.0.16"}


@pytest.mark.slow
def test_mumps_text_built_in_place_from_immediates() -> None:
    # IPOPT's MUMPS interface builds "MUMPS 5.8.2" as a short std::string in place: movabs rcx,
    # "MUMPS 5."; mov [rdi+0x10], rcx; mov dword [rdi+0x17], ".8.2" (overlapping); the static MUMPS
    # beside it (hundreds of dmumps_/mumps_ routines) was not named at all in compas-sandbox-native
    assert _found("compas_sandbox_native-", "mumps") == {"5.8.2"}
    # second binary: PySCIPOpt's Linux libscip, the same text built the same way in another
    # project's build (unknown before)
    assert _found("pyscipopt-", "mumps") == {"5.8.2"}


@pytest.mark.slow
def test_sheenbidi_version_string() -> None:
    # SBVersionGetString() returns its LibraryVersion text: dynamic-font's static SheenBidi 3.0.0
    # (x86-64; not reported before, no entry)
    assert _found("dynamic_font-", "sheenbidi") == {"3.0.0"}
    # second binary: matplotlib's macOS arm64 ft2font, whose libraqm uses SheenBidi (adrp/add of
    # LibraryVersion, '3.0.0')
    assert _found("corpus:matplotlib", "sheenbidi", "mac") == {"3.0.0"}
