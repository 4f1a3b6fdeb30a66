"""Identity policies: the shipped CPython policy, overrides, and rule selection against packaging."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from assay.errors import ConfigError
from assay.verify import policy as pol
from assay.verify.model import Kind


@pytest.fixture(scope="module")
def cpython() -> pol.Policy:
    return pol.load("cpython")


@pytest.mark.parametrize(("version", "identity", "fingerprint"), [
    ("3.13.5", "thomas@python.org", "7169605F62C751356D054A26A821E680E5FA6305"),
    ("3.12.0rc1", "thomas@python.org", "7169605F62C751356D054A26A821E680E5FA6305"),
    ("3.11.9", "pablogsal@python.org", "A035C8C19219BA821ECEA86B64E628F8D684696D"),
    ("3.10.0a1", "pablogsal@python.org", "A035C8C19219BA821ECEA86B64E628F8D684696D"),
    ("3.9.20", "lukasz@langa.pl", "E3FF2839C048B25C084DEBE9B26995E310250568"),
    ("3.7.17", "nad@python.org", "0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D"),
])
def test_cpython_release_managers(cpython, version, identity, fingerprint):
    exp = cpython.expected(version)
    assert [s.identity for s in exp.sigstore] == [identity]
    assert exp.openpgp == (fingerprint,)


def test_cpython_314_is_sigstore_only(cpython):
    exp = cpython.expected("3.14.0")
    assert [(s.identity, s.issuer) for s in exp.sigstore] == [
        ("hugo@python.org", "https://github.com/login/oauth")]
    assert exp.openpgp == ()
    assert exp.require == frozenset({Kind.SIGSTORE})


def test_cpython_scope_and_version_from_name(cpython):
    assert cpython.covers("Python-3.13.5.tar.xz")
    assert not cpython.covers("python-3.13.5-amd64.exe")
    assert cpython.version_of("Python-3.13.0rc2.tgz") == "3.13.0rc2"
    assert not cpython.expected("2.7.18")  # no rule: nobody is expected, the artifact cannot pass


def test_override_extends_and_wins(tmp_path, cpython):
    f = tmp_path / "mine.toml"
    f.write_text('extends = "cpython"\n[policy]\nname = "mine"\n'
                 '[signers.me]\nopenpgp = ["E550 A600 BAC2 5568 07A8  3FDD F829 8FFC F74D EBB4"]\n'
                 '[[rules]]\nversions = ">=3.13"\nsigners = ["me"]\nrequire = ["openpgp"]\n')
    mine = pol.load(str(f))
    assert mine.expected("3.13.5").openpgp == ("E550A600BAC2556807A83FDDF8298FFCF74DEBB4",)
    assert mine.expected("3.12.1").openpgp == cpython.expected("3.12.1").openpgp  # falls back
    assert mine.artifacts == cpython.artifacts


def test_layering_later_policy_first(cpython):
    flags = pol.from_flags(sigstore=[], openpgp=["E550A600BAC2556807A83FDDF8298FFCF74DEBB4"], publishers=[])
    assert flags is not None
    layered = pol.combine([cpython, flags])
    assert layered is not None
    assert layered.expected("3.12.1").openpgp == ("E550A600BAC2556807A83FDDF8298FFCF74DEBB4",)


@pytest.mark.parametrize("text", [
    "[[rules]]\nversions = '>=nope'\nsigners = []\n",
    "[[rules]]\nversions = '>=1'\nsigners = ['ghost']\n",
    "[signers.a]\nsigstore = [{identity = 'x'}]\n",
    "[signers.a]\nopenpgp = ['1234']\n",
    "[policy]\nversion_pattern = '(unclosed'\n",
    "[[rules]]\nrequire = ['carrier-pigeon']\n",
    "this is not toml",
])
def test_bad_policies_are_config_errors_naming_the_file(tmp_path, text):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        pol.load(str(f))
    assert "bad.toml" in err.value.message


versions = st.builds(
    lambda minor, micro, pre: f"3.{minor}.{micro}{pre}",
    st.integers(0, 19), st.integers(0, 30),
    st.sampled_from(["", "a1", "b2", "rc1", "rc3"]),
)


@given(versions)
def test_rule_selection_agrees_with_packaging(version):
    policy = pol.load("cpython")
    v = Version(version)
    first = next((r for r in policy.rules
                  if SpecifierSet(str(r.versions)).contains(v, prereleases=True)), None)
    exp = policy.expected(version)
    if first is None:
        assert not exp
    else:
        want = {s.identity for name in first.signers for s in policy.signers[name].sigstore}
        assert {s.identity for s in exp.sigstore} == want


toml_values = st.recursive(
    st.one_of(st.integers(-3, 3), st.text("ab>=<,.*3", max_size=6), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["versions", "signers", "require", "sigstore",
                                                             "openpgp", "publishers", "identity", "issuer",
                                                             "kind", "artifacts", "version_pattern"]),
                                            inner, max_size=3)),
    max_leaves=8,
)


@given(st.dictionaries(st.sampled_from(["policy", "signers", "rules"]), toml_values, max_size=3))
def test_any_malformed_policy_is_a_config_error_never_a_crash(doc):
    try:
        policy = pol.from_document(doc, source="fuzz.toml")
        pol._check_names(policy)
    except ConfigError as exc:
        assert exc.message.startswith("fuzz.toml")
        return
    policy.expected("3.12.0")  # a policy that loaded can be queried
