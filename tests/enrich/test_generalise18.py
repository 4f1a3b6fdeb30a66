"""Rules written against the misses and the wrong version of the eighteenth untuned batch (Linux,
``untuned18.json``), each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: Linux wheels of other projects
OTHER = {
    "grpcio_tools-1.85.1-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "7fdc3b869ad79254cb570eb043b5a940a775f367fd43682ce51aa518f45fec8f",
    "libucx_cu12-1.22.0-py3-none-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl":
        "5cbbef0c140a0a158ae3486089af659b38822b2234cd3dc90ba40a5e6553402a",
}


def _wheel(prefix: str) -> Path:
    """A Linux wheel of untuned18, untuned12 or untuned.json, or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "linux", ("untuned18.json", "untuned12.json", "untuned.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_zlib_development_snapshot_with_an_audit_suffix() -> None:
    # zlibVersion() of nvImageCodec's static copies returns "1.3.1.2-audit" (zlib's develop branch);
    # the banners say "deflate 1.3.1.2", which was reported as if it were a release (a wrong version)
    nvimgcodec = _graph("nvidia_nvimgcodec_cu12-")
    assert _versions(nvimgcodec, "zlib") == {"1.3.1.2-audit"}
    # no second binary with an "-audit" snapshot was at hand; the same development mark of another
    # project, Chromium's "-motley" zlib in chromedriver, is still read as written
    assert _versions(_graph("chromedriver_py-"), "zlib") == {"1.3.2.1-motley"}


@pytest.mark.slow
def test_protobuf_verify_version_of_its_first_argument_on_x86_64() -> None:
    # protobuf 22+'s VerifyVersion(int, const char*) compiled for x86-64: cmp edi, imm32; jne after
    # the prologue (NIXL's grafted libprotobuf.so.31.0.0: 6031000); it was read on arm64 only
    nixl = _graph("nixl_cu13-")
    assert _versions(nixl, "protobuf") == {"6.31.0"}
    assert any("VerifyVersionEiPKc" in e.detail for e in _evidence(nixl, "protobuf"))
    # second binary: grpcio-tools' protoc compiler for Linux (7035001), found without a version before
    assert _versions(_graph("grpcio_tools-"), "protobuf") == {"7.35.1"}


@pytest.mark.slow
def test_ucx_is_one_library_of_four_files() -> None:
    # UCX's libucp/libucs/libuct/libucm: ucp_get_version_string() is UCX's release; it was reported
    # under the file's name, libucp
    nixl = _graph("nixl_cu13-")
    assert "1.23.0" in _versions(nixl, "ucx")
    assert not _versions(nixl, "libucp")
    # second binary: RAPIDS' libucx-cu12 wheel (UCX 1.22.0)
    assert "1.22.0" in _versions(_graph("libucx_cu12-"), "ucx")


@pytest.mark.slow
def test_aws_sdk_for_cpp_version_function() -> None:
    # Aws::Version::GetVersionString() returns AWS_SDK_VERSION_STRING: NIXL's grafted
    # libaws-cpp-sdk-core (exported) was not named by its release
    assert _versions(_graph("nixl_cu13-"), "aws-sdk-cpp") == {"1.11.760"}
    # second binary: TileDB's libtiledb (untuned.json), a static SDK whose function is in .symtab
    assert _versions(_graph("tiledb-"), "aws-sdk-cpp") == {"1.11.740"}


@pytest.mark.slow
def test_sqlite_source_id_after_a_space_is_not_hidden_by_pcre2s_date_anchor() -> None:
    # FTS5's "fts5: 2026-01-09 17:27:48 b270..." in Bun's static SQLite (superdoc's CLI): PCRE2's
    # anchor " 2026-" matched at the space and hid the source id one byte later (anchors never
    # overlap); PCRE2's anchors are the years alone now
    assert _versions(_graph("superdoc_sdk_cli_linux_x64-"), "sqlite") == {"3.51.2"}
    # no second binary with FTS5's source id after a space was at hand; PCRE2's date-anchored text
    # is still read (pyuwsgi's grafted libpcre2-8, untuned12), and a source id that stands alone too
    assert _versions(_graph("pyuwsgi-"), "pcre2") == {"10.44"}
    assert _versions(_graph("chromedriver_py-"), "sqlite") == {"3.53.4"}
