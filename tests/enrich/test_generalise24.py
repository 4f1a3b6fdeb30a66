"""Rules written against the misses of the twenty-fourth untuned batch (newer releases of the tuned
projects for Windows and macOS, ``untuned24.json``), each checked on a second real binary."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import read_member_symbol, wheel_by_prefix
from .native_components import versions as _versions

# second binaries from PyPI: the tuned project confluent-kafka's 2.3.0 (the tuned set has only its
# Linux wheel) for Windows and macOS arm64, an older librdkafka with another cJSON
OTHER = {
    "win": {
        "confluent_kafka-2.3.0-cp311-cp311-win_amd64.whl":
            "1c6b29d57df99dabd45e67fd0aa46f17f195b057734ad84cf9cfdc2542855c10",
    },
    "mac": {
        "confluent_kafka-2.3.0-cp311-cp311-macosx_11_0_arm64.whl":
            "ec17b26d6155feeaded4a435ba949095aea9699afb65309d8f22e55722f53c48",
    },
}

BATCHES = ("untuned24.json",)


def _wheel(prefix: str, platform: str) -> Path:
    """A wheel of untuned24, of the corpus plan or of OTHER for ``platform``, by name prefix."""
    return wheel_by_prefix(prefix, platform, BATCHES, OTHER.get(platform, {}))


@cache
def _graph(prefix: str, platform: str) -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


def _read(prefix: str, platform: str, pattern: str, symbol: str, how: str) -> int | str | None:
    return read_member_symbol(_wheel(prefix, platform), pattern, symbol, how)


@pytest.mark.slow
def test_openblas_version_with_the_scipy_openblas_build_number() -> None:
    # scipy-openblas's config text puts its own build number after the release's three parts:
    # 'OpenBLAS 0.3.34.237.2  USE64BITINT ...' in numpy 2.5.5's wheels, a text in the macOS dylib
    # and movabs immediates in the Windows DLL
    assert _versions(_graph("numpy-2.5.5-", "mac"), "openblas") == {"0.3.34"}
    assert _versions(_graph("numpy-2.5.5-", "win"), "openblas") == {"0.3.34"}
    # second binary: the corpus plan's Linux numpy (cp315), an ELF libscipy_openblas64_ .so
    assert _versions(_graph("corpus-linux:numpy", "linux"), "openblas") == {"0.3.34"}
    # the '.dev' form is read as before: scipy 1.18.1's 'OpenBLAS 0.3.31.dev'
    assert _versions(_graph("scipy-1.18.1-", "mac"), "openblas") == {"0.3.31"}


@pytest.mark.slow
def test_cjson_version_formatted_from_immediates_on_windows_and_macos() -> None:
    # Microsoft x64: 7 in r9d, 1 as lea r8d, [r9 - 6], 19 at [rsp + 0x20] (librdkafka's cJSON in
    # confluent-kafka 2.16.1's Windows DLL)
    assert _versions(_graph("confluent_kafka-2.16.1-", "win"), "cjson") == {"1.7.19"}
    # Apple arm64: all three variadic arguments on the stack (str x8, [sp, #16]; stp x9, x8, [sp])
    assert _versions(_graph("confluent_kafka-2.16.1-", "mac"), "cjson") == {"1.7.19"}
    # second binaries: confluent-kafka 2.3.0's librdkafka for Windows (14 at [rsp + 0x20]) and for
    # macOS arm64 (stp x8, x10, [sp, #8]; str x9, [sp]): cJSON 1.7.14
    assert _read("confluent_kafka-2.3.0-", "win", r"librdkafka[^/]*\.dll$", "cJSON_Version",
                 "printf-str") == "1.7.14"
    assert _read("confluent_kafka-2.3.0-", "mac", r"librdkafka[^/]*\.dylib$", "cJSON_Version",
                 "printf-str") == "1.7.14"
