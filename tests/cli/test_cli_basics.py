import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    assert "sbom" in r.stdout


def test_missing_target_is_a_one_line_usage_error(tmp_path):
    r = run("sbom", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "nope" in r.stderr


def test_nothing_found_exits_3_and_warnings_stay_on_one_line(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("requests==\n")
    r = run("sbom", str(req), "-f", "json", "-o", str(tmp_path / "out.json"))
    assert r.returncode == 3
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "requirements.txt:1" in warnings[0]


def test_corrupt_wheel_is_one_line_and_leaves_no_output(tmp_path):
    wheel = tmp_path / "broken-1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "sbom.json"
    r = run("sbom", str(wheel), "-o", str(out))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and wheel.name in r.stderr
    assert list(tmp_path.iterdir()) == [wheel]


def test_creator_is_the_sbom_author_in_both_formats(tmp_path):
    site = tmp_path / "site-packages"
    (site / "demo-1.0.dist-info").mkdir(parents=True)
    (site / "demo-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
    import json

    spdx = json.loads(run("sbom", str(site), "-f", "spdx-json", "--creator", "Organization: ACME").stdout)
    assert "Organization: ACME" in spdx["creationInfo"]["creators"]
    cdx = json.loads(run("sbom", str(site), "-f", "cyclonedx-json", "--creator", "Organization: ACME").stdout)
    assert cdx["metadata"]["authors"] == [{"name": "ACME"}]
