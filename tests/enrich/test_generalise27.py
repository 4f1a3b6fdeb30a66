"""Rules written against the misses of the twenty-seventh untuned batch (Windows, unranked projects,
``untuned27.json``), each checked on a second real binary from another project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import read_member_symbol, wheel_by_prefix
from .native_components import versions as _versions

BATCHES = ("untuned27.json", "untuned.json")

# second binaries from PyPI, pinned by sha256: pillow-heif's Windows wheel grafts a release build
# of libheif and a libde265 DLL of its own (MinGW)
OTHER = {
    "pillow_heif-1.8.1-cp314-cp314-win_amd64.whl":
        "c583f2c08aa08848e7b97f4b416f5dce9f485182fd55efd39edba10f092ee651",
}


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned27 or an earlier batch, or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "win", BATCHES, OTHER)


def _read(prefix: str, pattern: str, symbol: str, how: str) -> int | str | None:
    return read_member_symbol(_wheel(prefix), pattern, symbol, how)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_lame_very_short_version_text() -> None:
    # get_lame_very_short_version()'s 'LAME3.100 ' in a stripped static LAME: cycsound's Csound DLL
    # (vcpkg) had LAME reported without a version
    assert _versions(_graph("cycsound-"), "lame") == {"3.100"}
    # second binary: soundfile's libsndfile_x64.dll (untuned.json), the same miss on main
    assert _versions(_graph("soundfile-"), "lame") == {"3.100"}


@pytest.mark.slow
def test_function_that_keeps_a_register_returns_its_constant() -> None:
    # MSVC's debug builds wrap even "return VERSION;" in push rdi ... pop rdi, behind an
    # incremental-linking jump thunk: freeimagere's heif.dll exports heif_get_version
    # ("rex push rdi; lea rax; pop rdi; ret") and heif_get_version_number ("... mov eax, imm32 ...");
    # libheif was reported without a version
    assert _read("freeimagere-", r"heif\.dll$", "heif_get_version", "ret-str") == "1.23.5"
    assert _read("freeimagere-", r"heif\.dll$", "heif_get_version_number", "ret-int") == 0x01170500
    assert _versions(_graph("freeimagere-"), "libheif") == {"1.23.5"}
    # no debug build of another project was found among the Windows wheels of the batches and the
    # corpus (a scan for the pattern found only freeimagere's two DLLs): pillow-heif's release
    # build of libheif is read as before
    assert _versions(_graph("pillow_heif-"), "libheif") == {"1.23.6"}


@pytest.mark.slow
def test_called_version_function_behind_a_thunk_and_a_kept_register() -> None:
    # a text loaded beside an anchor may come back from a call that goes through a jump thunk to
    # a debug-build lea-and-ret function: libheif's libde265 plugin copies "libde265 HEVC decoder"
    # and calls de265_get_version (static, unexported) in freeimagere's heif.dll, and
    # FreeImage.dll's OpenJPEG calls opj_version after "Created by OpenJPEG version " (a second
    # binary of the same build; both were missed)
    assert _versions(_graph("freeimagere-"), "libde265") == {"1.1.3"}
    assert _versions(_graph("freeimagere-"), "openjpeg") == {"2.5.4"}
    # pillow-heif's libde265 is a DLL of its own, read from its export as before (the plugin text
    # is not in its libheif): one version, not two
    assert _versions(_graph("pillow_heif-"), "libde265") == {"1.1.3"}


@pytest.mark.slow
def test_openjph_codestream_comment() -> None:
    # "OpenJPH Ver 0.32.0." (the comment OpenJPH writes into every codestream) in freeimagere's
    # static FreeImage.dll: OpenJPH was not reported
    assert _versions(_graph("freeimagere-"), "openjph") == {"0.32.0"}
    # second binaries: the same text in OpenImageIO's Linux library (untuned8) and, 0.31.0, in
    # pycolmap's macOS extension (untuned9), which other readers had already given
    linux = catalog_artifact(wheel_by_prefix("openimageio-", "linux", ("untuned8.json",)))
    assert _versions(linux, "openjph") == {"0.32.0"}
    assert any(e.detail == "OpenJPH Ver 0.32.0." for e in _evidence(linux, "openjph"))
    mac = catalog_artifact(wheel_by_prefix("pycolmap-", "mac", ("untuned9.json",)))
    assert _versions(mac, "openjph") == {"0.31.0"}


@pytest.mark.slow
def test_highs_log_header_constants_stored_before_the_format() -> None:
    # highsLogHeader passes HIGHS_VERSION_MAJOR/MINOR/PATCH with "Running HiGHS %d.%d.%d%s: %s";
    # MSVC stored the minor and patch on the stack (and the major in r9d) before it loaded the
    # format: packingsolver3d's static HiGHS was not reported
    assert _versions(_graph("packingsolver3d-"), "highs") == {"1.13.1"}
    # second binary: scipy's static HiGHS (untuned24, Windows; read by hand: r9d 1, [rsp+0x20]
    # 0xc stored after the format's lea, [rsp+0x28] 0 before it), in both of its extensions
    scipy = catalog_artifact(wheel_by_prefix("scipy-", "win", ("untuned24.json",)))
    assert _versions(scipy, "highs") == {"1.12.0"}
    assert {e.location.rsplit("/", 1)[1] for e in _evidence(scipy, "highs")} == {
        "_core.cp314-win_amd64.pyd", "_highs_options.cp314-win_amd64.pyd"}
    # OR-Tools' libhighs.so.1 (the tuned corpus, Linux): Highs_version() only jumps to
    # highsVersion() through the PLT; highsVersion() itself returns '1.12.0' (it was unversioned)
    ortools = catalog_artifact(wheel_by_prefix("corpus-linux:ortools", "linux", ()))
    assert _versions(ortools, "highs") == {"1.12.0"}


def test_printf_set_up_before_refuses_a_join() -> None:
    # the constants stored before the format's lea count only on a straight run: a jump that
    # lands between the store of the minor and the lea makes it no single path, and nothing is read
    fmt = b"Running HiGHS %d.%d.%d%s: %s\n\x00"
    code = bytearray()
    code += b"\xc7\x44\x24\x20\x0d\x00\x00\x00"  # 0: mov dword [rsp+0x20], 13 (the minor)
    code += b"\xc7\x44\x24\x28\x01\x00\x00\x00"  # 8: mov dword [rsp+0x28], 1 (the patch)
    code += b"\x41\xb9\x01\x00\x00\x00"  # 16: mov r9d, 1 (the major)
    lea = len(code)
    code += b"\x4c\x8d\x05" + (8).to_bytes(4, "little")  # 22: lea r8, [rip + 8]: the format
    code += b"\xe8\x00\x00\x00\x00\xc3"  # 29: call; ret
    code += b"\xeb\xe3"  # 35: jmp 8 (another path joins at the patch's store)
    data = bytes(code) + fmt
    fmt_at = lea + 7 + 8
    assert data[fmt_at:fmt_at + 7] == b"Running"
    info = binary.BinaryInfo(format="pe", machine="x86_64", _v2o=lambda va: va)
    assert decode._x86_printf_set_up_before(data, info, lea, 7, fmt_at, 0, len(code)) is None
    straight = data[:35] + b"\x90\x90" + data[37:]
    got = decode._x86_printf_set_up_before(straight, info, lea, 7, fmt_at, 0, len(code))
    assert got is not None and got.startswith("Running HiGHS 1.13.1")


def test_printf_set_up_before_renders_texts_only_where_every_start_agrees() -> None:
    # a text argument counts when every straight start sees it (Dear ImGui's "%s (%d)"); when some
    # starts begin after its load, they render without it, and only the integers are read
    # (mimalloc's "v%i.%i.%i%s%s" in torch's c10.dll)
    def build(text_first: bool) -> tuple[bytes, int, int]:
        text_lea = b"\x4c\x8d\x0d"  # lea r9, [rip + d]: the text, argument 3
        ints = b"\x41\xb8\x05\x00\x00\x00" + b"\xba\x02\x00\x00\x00"  # mov r8d, 5; mov edx, 2
        code = bytearray()
        if text_first:
            code += text_lea + b"\x00\x00\x00\x00"
            code += ints
        else:
            code += ints
            code += text_lea + b"\x00\x00\x00\x00"
        lea = len(code)
        code += b"\x48\x8d\x0d\x00\x00\x00\x00"  # lea rcx, [rip + d]: the format, argument 0
        code += b"\xe8\x00\x00\x00\x00\xc3"  # call; ret
        fmt_at = len(code)
        code += b"v%i.%i%s\n\x00"
        text_at = len(code)
        code += b"-dev\x00"
        at = code.index(text_lea)
        code[at + 3:at + 7] = (text_at - (at + 7)).to_bytes(4, "little", signed=True)
        code[lea + 3:lea + 7] = (fmt_at - (lea + 7)).to_bytes(4, "little", signed=True)
        return bytes(code), lea, fmt_at

    info = binary.BinaryInfo(format="pe", machine="x86_64", _v2o=lambda va: va)
    data, lea, fmt_at = build(text_first=False)
    assert decode._x86_printf_set_up_before(data, info, lea, 7, fmt_at, 0, lea + 13) == "v2.5-dev\n"
    data, lea, fmt_at = build(text_first=True)
    assert decode._x86_printf_set_up_before(data, info, lea, 7, fmt_at, 0, lea + 13) == "v2.5"
