"""Run cve-bin-tool's version scanner (its binary checkers, extraction on) over wheels; print JSON.

Runs inside the peer venv (see run.py). Offline: the CVE database is not needed for
version scanning; checkers that need the network at import time (sqlite's version map)
are skipped and reported, and the language-file parsers (which query the CVE
database) are turned off so only the binary scanner runs.
"""

from __future__ import annotations

import json
import logging
import sys
import time


def main(paths: list[str]) -> None:
    logging.disable(logging.CRITICAL)
    import cve_bin_tool.version_scanner as vsm
    from cve_bin_tool.checkers import BUILTIN_CHECKERS

    vsm.valid_files = {}
    checkers = {}
    skipped = []
    t0 = time.perf_counter()
    for ep in BUILTIN_CHECKERS.values():
        try:
            checkers[ep.name] = ep.load()
        except Exception as exc:
            skipped.append(f"{ep.name}: {type(exc).__name__}")
    scanner = vsm.VersionScanner(should_extract=True, checkers=checkers)
    load_s = time.perf_counter() - t0
    results = {}
    times = {}
    for path in paths:
        t = time.perf_counter()
        found = set()
        for info in scanner.recursive_scan(path):
            p = info.product_info
            found.add((p.vendor, p.product, p.version))
        times[path] = time.perf_counter() - t
        results[path] = sorted(found)
    json.dump({"load_s": load_s, "checkers": len(checkers), "skipped": skipped,
               "times": times, "results": results}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
