"""assay's PEP 508 reader gives packaging's answers: the same parts, the same normal form, the same
marker evaluation, and an error exactly where packaging has one."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from packaging.markers import InvalidMarker as PInvalidMarker
from packaging.markers import Marker as PMarker
from packaging.requirements import InvalidRequirement as PInvalidRequirement
from packaging.requirements import Requirement as PRequirement

from assay.identity import pep508
from assay.identity.purl import canonical_name

ENVIRONMENTS = [
    {"implementation_name": "cpython", "implementation_version": "3.11.7", "os_name": "posix",
     "platform_machine": "x86_64", "platform_release": "6.1.0-18-amd64", "platform_system": "Linux",
     "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1", "python_full_version": "3.11.7",
     "platform_python_implementation": "CPython", "python_version": "3.11", "sys_platform": "linux"},
    {"implementation_name": "cpython", "implementation_version": "3.8.10", "os_name": "nt",
     "platform_machine": "AMD64", "platform_release": "10", "platform_system": "Windows",
     "platform_version": "10.0.19045", "python_full_version": "3.8.10",
     "platform_python_implementation": "CPython", "python_version": "3.8", "sys_platform": "win32"},
    {"implementation_name": "pypy", "implementation_version": "7.3.17", "os_name": "posix",
     "platform_machine": "arm64", "platform_release": "24.1.0", "platform_system": "Darwin",
     "platform_version": "Darwin Kernel Version 24.1.0", "python_full_version": "3.10.14",
     "platform_python_implementation": "PyPy", "python_version": "3.10", "sys_platform": "darwin"},
    {"implementation_name": "cpython", "implementation_version": "3.14.0rc1", "os_name": "posix",
     "platform_machine": "aarch64", "platform_release": "", "platform_system": "Linux",
     "platform_version": "", "python_full_version": "3.14.0rc1",
     "platform_python_implementation": "CPython", "python_version": "3.14", "sys_platform": "linux"},
]


def _outcome(marker, env):
    try:
        return ("ok", marker.evaluate(env))
    except (ValueError, KeyError) as exc:
        return ("error", type(exc).__name__ if not isinstance(exc, ValueError) else "ValueError")


def _same_evaluation(ours: pep508.Marker, theirs: PMarker, extras: list[str]) -> None:
    for env in ENVIRONMENTS:
        for extra in ["", *extras]:
            e = {**env, "extra": extra}
            assert _outcome(ours, e) == _outcome(theirs, e), (str(theirs), e)


def _same_requirement(text: str) -> None:
    try:
        theirs = PRequirement(text)
    except PInvalidRequirement:
        with pytest.raises(pep508.InvalidRequirement):
            pep508.requirement(text)
        return
    ours = pep508.requirement(text)
    assert str(ours) == str(theirs)
    assert (ours.name, ours.url, ours.extras, str(ours.specifier)) == \
        (theirs.name, theirs.url, theirs.extras, str(theirs.specifier))
    assert (ours.marker is None) == (theirs.marker is None)
    if theirs.marker is not None:
        assert str(ours.marker) == str(theirs.marker)
        literals = [lhs.value for m in theirs.marker._markers if isinstance(m, tuple) for lhs in m]
        _same_evaluation(ours.marker, theirs.marker, [canonical_name(v) for v in literals if v])


def _requires_dist_of_real_distributions() -> list[str]:
    out: set[str] = set()
    for dist in importlib.metadata.distributions():
        out.update(dist.requires or ())
    # the Debian interpreter's distributions too, when there is one: other authors, other eras
    debian = "/usr/bin/python3"
    try:
        text = subprocess.run([debian, "-c", "import importlib.metadata as m, json; print(json.dumps("
                               "[r for d in m.distributions() for r in (d.requires or ())]))"],
                              capture_output=True, text=True, timeout=60, check=True).stdout
        out.update(json.loads(text))
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return sorted(out)


def test_every_requires_dist_of_real_distributions_reads_as_packaging_reads_it() -> None:
    texts = _requires_dist_of_real_distributions()
    assert len(texts) > 300, "the test environment has real distributions with requirements"
    for text in texts:
        _same_requirement(text)


def test_common_shapes_never_need_packagings_parser() -> None:
    # the speed claim: Requires-Dist as projects write it does not reach packaging's tokenizer
    code = ("import sys; from assay.identity import pep508; "
            "[pep508.requirement(t) for t in sys.argv[1:]]; "
            "print('packaging.requirements' in sys.modules, 'packaging.markers' in sys.modules)")
    texts = ['requests (>=2.0,<3) ; extra == "http"', "h2<5,>=3; extra == 'http2'",
             "typing-extensions>=4; python_version < '3.11'", "pywin32; sys_platform == 'win32'",
             "cffi>=1.12; platform_python_implementation != 'PyPy' and extra == 'x'",
             "colorama; (os_name == 'nt' and implementation_name != 'pypy') and extra == 'a'",
             "zope.interface[test]", "foo[a, b] ==1.* ; python_full_version >= '3.9.1'"]
    out = subprocess.run([sys.executable, "-c", code, *texts], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_what_it_does_not_read_itself_packaging_decides() -> None:
    for text in ["pkg @ https://example.org/pkg-1.0.tar.gz ; python_version < '3.9'",
                 "pkg; '\\x41' == os_name", 'pkg; "dev" in extras', "pkg (>=1.0,)",
                 "pkg ; python_version < '3.9' or", "pkg[", "pkg==1.0 extra", "-pkg", "pkg>=1.0 ; ",
                 "pkg ; os.name == 'nt'", "pkg ; python_implementation == 'PyPy'"]:
        _same_requirement(text)


_NAMES = st.sampled_from(["foo", "Foo.Bar", "zope.interface", "a_b-c", "x1", "foo-", "_bad", "A"])
_VARIABLES = st.sampled_from(["python_version", "python_full_version", "os_name", "os.name", "sys_platform",
                              "platform_release", "platform_system", "platform_version",
                              "platform_machine", "platform_python_implementation",
                              "python_implementation", "implementation_name", "implementation_version",
                              "extra", "platform.machine", "sys.platform", "bogus"])
_VALUES = st.sampled_from(["3.8", "3", "3.10", "3.11.7", "3.14.0rc1", "2.7.*", "3.*", "1.0+local", "nt",
                           "posix", "win32", "linux", "darwin", "PyPy", "CPython", "cpython", "Test_Extra",
                           "test-extra", "", "x86_64", "Windows", "Linux", "10", "6.1", "aarch64 arm64",
                           "3.8.0.dev1", "v3.9"])
_OPS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in", "not  in", "=<"])
_WS = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _items(draw):
    quote = draw(st.sampled_from(['"', "'"]))
    value = f"{quote}{draw(_VALUES)}{quote}"
    var = draw(_VARIABLES)
    left, right = (var, value) if draw(st.booleans()) else (value, var)
    return f"{left}{draw(_WS)}{draw(_OPS)}{draw(_WS)}{right}"


_MARKERS = st.recursive(
    _items(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" and ", " or ", "  and\t", " and", "and "]), inner).map("".join),
        inner.map(lambda m: f"({m})"), inner.map(lambda m: f"( {m} )")),
    max_leaves=6)


@settings(max_examples=400, deadline=None)
@given(_MARKERS)
@example('"Test_Extra"==extra')  # the environment's extra is compared canonical, as packaging does
def test_generated_markers(text: str) -> None:
    try:
        theirs = PMarker(text)
    except PInvalidMarker:
        with pytest.raises(pep508.InvalidMarker):
            pep508.marker(text)
        return
    ours = pep508.marker(text)
    assert str(ours) == str(theirs)
    _same_evaluation(ours, theirs, ["test-extra", "test_extra", "Test_Extra"])


@settings(max_examples=400, deadline=None)
@given(_NAMES, st.sampled_from(["", "[a]", "[ a , B_c ]", "[]", "[a,]", " [x]"]),
       st.sampled_from(["", ">=1.0", " >=1.0,<2", "(>=1.0,<2)", " ( ==1.* )", "==1.0+local", "<2,", "~=1",
                        "===weird", ">=1.0 ,<2.0 ", "()", "(>=1", ">= 1.0", "!=1.0.*,>0"]),
       st.one_of(st.just(""), _MARKERS.map(lambda m: f" ; {m}"), _MARKERS.map(lambda m: f";{m}")))
def test_generated_requirements(name: str, extras: str, spec: str, marker: str) -> None:
    _same_requirement(f"{name}{extras}{spec}{marker}")
