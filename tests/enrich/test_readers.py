"""The small readers, on byte snippets cut from real binaries (disassembly quoted beside each)."""

from __future__ import annotations

import re
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.enrich.bundled.binary import BinaryInfo, Symbol, sniff
from assay.enrich.bundled.decode import format_int, read_symbol
from assay.enrich.bundled.rules import _compile_library, fill_template, matcher, trie_regex


def _info(machine: str, base: int = 0x1000) -> BinaryInfo:
    info = BinaryInfo(format="elf", machine=machine)
    info._v2o = lambda vaddr: vaddr - base if vaddr >= base else None
    return info


def _read(code: bytes, how: str, machine: str = "x86_64", tail: bytes = b"") -> int | str | None:
    base = 0x1000
    data = b"\x7fELF\x02\x01" + b"\0" * 10 + code + tail
    sym = Symbol("f", 16, base + 16, len(code), True)
    return read_symbol(data, _info(machine, base), sym, how)


@pytest.mark.parametrize(("code", "value"), [
    (bytes.fromhex("b8 01 03 01 00 c3"), 0x10301),  # libwebp WebPGetDecoderVersion: mov eax,0x10301; ret
    (bytes.fromhex("55 48 89 e5 b8 66 08 00 00 5d c3"), 2150),  # lcms2 at -O0: push rbp ... pop rbp; ret
    (bytes.fromhex("f3 0f 1e fa b8 09 00 00 01 c3"), 0x1000009),  # endbr64; brotli's version
])
def test_x86_function_returning_a_constant(code: bytes, value: int) -> None:
    assert _read(code, "ret-int") == value


def test_x86_function_returning_a_string() -> None:
    # hb_version_string at -O0: push rbp; mov rbp,rsp; lea rax,[rip+0x10]; pop rbp; ret
    code = bytes.fromhex("55 48 89 e5 48 8d 05 10 00 00 00 5d c3")
    text = b"\0" * (0x10 - 2) + b"7.3.0\0"  # the string lies 0x10 after the lea's end
    assert _read(code, "ret-str", tail=text) == "7.3.0"


def test_x86_out_parameter_and_null_alternative_are_understood() -> None:
    # c-ares ares_version: test rdi,rdi; je +6; mov dword [rdi],0x11301; lea rax,[rip+d]; ret
    code = bytes.fromhex("48 85 ff 74 06 c7 07 01 13 01 00 48 8d 05 01 00 00 00 c3")
    assert _read(code, "ret-str", tail=b"1.19.1\0") == "1.19.1"
    # nghttp2_version: cmp edi,0x13600; mov edx,0; lea rax,[rip+d]; cmovg rax,rdx; ret
    code = bytes.fromhex("81 ff 00 36 01 00 ba 00 00 00 00 48 8d 05 05 00 00 00 48 0f 4f c2 c3")
    struct_bytes = struct.pack("<ii", 1, 0x013600)
    assert _read(code, "ret-ptr-int@4", tail=struct_bytes) == 0x13600


def test_x86_stores_through_three_pointers() -> None:
    # zmq_version at -O0: spill rdi/rsi/rdx, then mov rax,[rbp-x]; mov dword [rax],imm for each
    code = bytes.fromhex(
        "55 48 89 e5 48 89 7d f8 48 89 75 f0 48 89 55 e8"
        " 48 8b 45 f8 c7 00 04 00 00 00 48 8b 45 f0 c7 00 03 00 00 00"
        " 48 8b 45 e8 c7 00 04 00 00 00 90 5d c3")
    assert _read(code, "store-args") == "4.3.4"
    # the -O2 form, and a returned error code (git_libgit2_version)
    code = bytes.fromhex("c7 07 01 00 00 00 c7 06 07 00 00 00 c7 02 01 00 00 00 31 c0 c3")
    assert _read(code, "store-args") == "1.7.1"


def test_x86_stores_in_the_windows_x64_convention() -> None:
    # libzmq.dll's zmq_version: mov dword [rcx],4; mov dword [rdx],3; mov dword [r8],4; ret
    code = bytes.fromhex("c7 01 04 00 00 00 c7 02 03 00 00 00 41 c7 00 04 00 00 00 c3")
    base = 0x1000
    data = b"MZ" + b"\0" * 14 + code
    info = BinaryInfo(format="pe", machine="x86_64")
    info._v2o = lambda vaddr: vaddr - base
    sym = Symbol("zmq_version", 16, base + 16, len(code), True)
    assert read_symbol(data, info, sym, "store-args") == "4.3.4"


def test_anything_else_is_unknown_not_guessed() -> None:
    assert _read(bytes.fromhex("e8 00 00 00 00 c3"), "ret-int") is None  # a call: not a constant
    assert _read(bytes.fromhex("b8 01 00 00 00"), "ret-int") is None  # no ret in reach
    assert _read(bytes.fromhex("b8 01 03 01 00 c3"), "ret-int", machine="ppc64le") is None


def test_aarch64_movz_movk_and_adrp_add() -> None:
    def ins(*words: int) -> bytes:
        return b"".join(struct.pack("<I", w) for w in words)

    # mov w0,#0x301; movk w0,#0x1,lsl #16; ret  -> 0x10301
    assert _read(ins(0x52806020, 0x72A00020, 0xD65F03C0), "ret-int", "aarch64") == 0x10301
    # adr x0, #+12; ret  -> the string 12 bytes after the adr
    code = ins(0x10000060, 0xD65F03C0)
    assert _read(code, "ret-str", "aarch64", tail=b"\0" * 4 + b"2.5.0\0") == "2.5.0"


def test_aarch64_paths_on_an_argument() -> None:
    def ins(*words: int) -> bytes:
        return b"".join(struct.pack("<I", w) for w in words)

    # netcdf4's nghttp2_version(int least_version), its adrp made an adr to the tail: adr x8, #24;
    # mov w9, #0x4401; movk w9, #1, lsl #16; cmp w0, w9; csel x0, xzr, x8, gt; ret
    body = (0x52888029, 0x72A00029, 0x6B09001F)
    code = ins(0x100000C8, *body, 0x9A88C3E0, 0xD65F03C0)
    assert _read(code, "ret-str", "aarch64", tail=b"1.68.1\0") == "1.68.1"
    # -O0: the argument spilled and reloaded, cset/tbnz, the answer stored in a stack slot and
    # loaded back (fiona's nghttp2_version, adrp+add made adr+nop)
    o0 = ins(0xD10043FF, 0xB90007E0, 0xB94007E8, 0x5285C009, 0x72A00029, 0x6B090108, 0x1A9FC7E8,
             0x37000088, 0x14000001, 0xF90007FF, 0x14000005, 0x100000E8, 0xD503201F, 0xF90007E8, 0x14000001,
             0xF94007E0, 0x910043FF, 0xD65F03C0)
    assert _read(o0, "ret-str", "aarch64", tail=b"1.46.0\0") == "1.46.0"
    # two paths, two different strings (a switch on the argument): no answer
    two = ins(0x100000E8, 0x100000EA, *body, 0x9A8AC100, 0xD65F03C0)
    assert _read(two, "ret-str", "aarch64", tail=b"1.0\0" + b"2.0\0") is None
    # an integer that depends on the argument (cset): no answer
    assert _read(ins(0x6B09001F, 0x1A9FC7E0, 0xD65F03C0), "ret-int", "aarch64") is None
    # a call on the way: no answer
    assert _read(ins(0x94000010, 0x100000C8, 0xD65F03C0), "ret-str", "aarch64", tail=b"1.0\0") is None


def test_version_templates_join_groups() -> None:
    rx = re.compile(rb"HDF Version ([0-9]+)\.([0-9]+) Release ([0-9]+),")
    m = rx.match(b"HDF Version 4.2 Release 15, November 28, 2019")
    assert fill_template("{1}.{2}.{3}", m.groups()) == "4.2.15"
    assert rx.match(b"HDF Version 4.3 Release 1-1, February 29, 2024") is None  # a pre-release
    assert fill_template("{1}.{2}", (b"1", None)) is None
    for bad in ("{4}.{1}", "v{1}", "{1} and {2}"):  # a group the regex lacks, text besides the groups
        entry = {"name": "x", "versions": [{"anchor": "A", "regex": "A(1)(2)(3)", "version": bad}]}
        with pytest.raises(ValueError, match="version template"):
            _compile_library(entry, "native")


def test_format_int_specs() -> None:
    assert format_int(0x10301, [">>16&0xff", ">>8&0xff", ">>0&0xff"]) == "1.3.1"
    assert format_int(2150, ["//1000", "//10%100"]) == "2.15"
    assert format_int(21003, ["//10000", "//100%100", "//1%100"]) == "2.10.3"
    assert format_int(50040032, ["//10000000", "//10000%1000", "//10%1000"]) == "5.4.3"
    assert format_int(0, ["//1"]) is None


@settings(derandomize=True)
@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_packed_versions_round_trip(major: int, minor: int, patch: int) -> None:
    value = (major << 16) | (minor << 8) | patch
    if value:
        assert format_int(value, [">>16&0xff", ">>8&0xff", ">>0&0xff"]) == f"{major}.{minor}.{patch}"


@settings(derandomize=True)
@given(st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=20), st.binary(max_size=200))
def test_trie_regex_finds_exactly_what_an_alternation_finds(words: list[bytes], text: bytes) -> None:
    trie = trie_regex(words)
    plain = re.compile(b"|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    assert {m.start() for m in trie.finditer(text)} <= {m.start() for m in re.finditer(
        b"(?=" + b"|".join(re.escape(w) for w in set(words)) + b")", text)}
    assert bool(trie.search(text)) == bool(plain.search(text))


@pytest.mark.parametrize(("name", "library"), [
    ("libwebp-74f033ac.so.7.1.7", "libwebp"),  # auditwheel
    ("libwebpmux-45add3a6.so.3.0.12", "libwebpmux"),  # the longest name wins
    ("libpng16.16.dylib", "libpng"),  # delocate
    ("libz.1.2.13.dylib", "zlib"),
    ("geos_c-69e7a24742c4fc930f28f9e1af49d3da.dll", "geos"),  # delvewheel
    ("libopenblas64_p-r0-0cf96a72.3.23.dev.so", "openblas"),
    ("libSDL2-2-a598e802.0.so.0.2800.2", "sdl2"),
    ("libcrypto-3-x64.dll", "openssl"),
    ("libjpeg-rasterio-82e9a1fb.so.9.3.0", "libjpeg-turbo"),  # the content decides between the two
])
def test_file_names(name: str, library: str) -> None:
    assert matcher().libraries_for_file(name)[0].name == library


@pytest.mark.parametrize("name", [
    "_brotli.cpython-311-x86_64-linux-gnu.so",  # an extension module is named after the module
    "zstd.cp311-win_amd64.pyd", "libzip.so.5", "libzzz.so", "README.md",
])
def test_file_names_that_are_no_known_library(name: str) -> None:
    assert matcher().libraries_for_file(name) == []


def test_sniff() -> None:
    assert sniff(b"\x7fELF\x02\x01\x01\x00") == "elf"
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00") == "pe"
    assert sniff(b"\xcf\xfa\xed\xfe\x07\x00\x00\x01") == "macho"
    assert sniff(b"\xca\xfe\xba\xbe\x00\x00\x00\x02") == "macho"  # fat
    assert sniff(b"\xca\xfe\xba\xbe\x00\x00\x00\x34") is None  # a Java class file
    assert sniff(b"#!/bin/sh") is None


def test_the_table_covers_the_issue_list() -> None:
    names = {lib.name for lib in matcher().native}
    wanted = {
        "openssl", "boringssl", "libwebp", "libwebpmux", "libwebpdemux", "libsharpyuv", "zlib", "libpng",
        "libjpeg-turbo", "libtiff", "freetype", "harfbuzz", "lcms2", "openjpeg", "xz", "bzip2", "brotli",
        "zstd", "lz4", "libxml2", "libxslt", "libexslt", "libiconv", "expat", "sqlite", "curl", "libssh2",
        "nghttp2", "openblas", "libgfortran", "libquadmath", "libgomp", "libffi", "libsodium", "libzmq",
        "librdkafka", "hdf5", "geos", "proj", "krb5", "libpq", "openldap", "pcre", "sdl2", "ffmpeg", "libvpx",
    }
    assert wanted <= names and len(names) >= 100
    cpes = {lib.name: lib.cpe for lib in matcher().native}
    assert cpes["libwebp"] == "webmproject:libwebp"
    assert cpes["expat"] == "libexpat_project:libexpat"
    assert cpes["lcms2"] == "littlecms:little_cms_color_engine"


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_binaries_never_raise(data: st.DataObject) -> None:
    """Flip, cut and overwrite bytes of a real library: classification may find less, never crash."""
    from assay.enrich.bundled.native import scan_binary
    from enrich.bundled_wheelset import ML, WHEELS
    from pypi import pypi_file

    wheel, member = data.draw(st.sampled_from([
        (f"Pillow-10.0.0-cp311-cp311-{ML}.whl", "Pillow.libs/libwebp-74f033ac.so.7.1.7"),  # ELF
        ("Pillow-10.0.0-cp311-cp311-macosx_10_10_x86_64.whl", "PIL/.dylibs/libwebp.7.dylib"),  # Mach-O
        ("pyzmq-25.1.2-cp311-cp311-win_amd64.whl", "pyzmq.libs/libsodium-ac42d648.dll"),  # PE
    ]))
    original = _cached_member(pypi_file(wheel, WHEELS[wheel]), member)
    blob = bytearray(original)
    for _ in range(data.draw(st.integers(1, 40))):
        pos = data.draw(st.integers(0, len(blob) - 1))
        blob[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        blob = blob[: data.draw(st.integers(0, len(blob)))]
    scan_binary("x.so", bytes(blob), matcher())  # must not raise


_MEMBERS: dict[tuple[str, str], bytes] = {}


def _cached_member(wheel, member: str) -> bytes:
    import zipfile

    key = (str(wheel), member)
    if key not in _MEMBERS:
        with zipfile.ZipFile(wheel) as zf:
            _MEMBERS[key] = zf.read(member)
    return _MEMBERS[key]
