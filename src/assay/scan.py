"""What ``assay scan`` does, as a library function: inventory, bundled components, the offline
audit and the integrity check of one target, with every document written into one folder.

    from assay.scan import ScanOptions, scan
    result = scan(".venv", ScanOptions(out=Path("assay-scan"), advisories=(Path("../shared/data"),)))
    result.exit_code()      # 0 clean, 1 findings at/above fail-on or modified/missing files, 3 nothing found
    result.reasons()        # why the exit code is not 0, in words

``report.html`` beside them shows it all on one self-contained page.

The documents are written to a temporary folder beside ``out`` and moved into place only when
all are complete, so a failed scan leaves no half-written folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assay import catalog, formats
from assay.config import Config
from assay.errors import EXIT_INCOMPLETE, EXIT_OK, EXIT_POLICY, InputError
from assay.model.audit import AuditReport, AuditResult
from assay.model.integrity import IntegrityReport
from assay.model.report import ScanReport
from assay.output import refuse_inputs, same_file

Status = Callable[[str], None]
# every document a scan may write (which of them depends on what was found)
DOCUMENTS = ("sbom.spdx.json", "sbom.cdx.json", "inventory.json", "audit.json", "audit.sarif", "audit.md",
             "integrity.json", "report.html")


@dataclass(frozen=True, slots=True)
class ScanOptions:
    out: Path = Path("assay-scan")
    advisories: tuple[Path, ...] = ()  # advisory data to import first
    update: bool = False  # refresh the advisory database from the network first
    config: Config = field(default_factory=Config)
    bundled: bool = True
    creator: str | None = None
    reproducible: bool = False
    allow_includes_outside: bool = False  # requirements: -r includes may leave the file's folder


@dataclass(slots=True)
class ScanResult:
    catalogue: catalog.Catalogue
    audit: AuditResult | None
    audit_note: str  # which database, or why the audit was skipped
    integrity: IntegrityReport | None
    out: Path
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def graph(self):  # type: ignore[no-untyped-def]
        return self.catalogue.graph

    def reasons(self) -> list[str]:
        """Why the scan's exit code is not 0 (empty when it is 0)."""
        out = []
        if self.graph.nothing_found():
            out.append("nothing was found in the target")
        if self.audit is not None and self.audit.exit_code() == EXIT_POLICY:
            n = len(self.audit.failing())
            out.append(f"{n} finding{'s' if n != 1 else ''} at or above {self.audit.fail_on}")
        if self.integrity is not None and not self.integrity.clean:
            mod, miss = len(self.integrity.of("modified")), len(self.integrity.of("missing"))
            out.append(f"integrity: {mod} modified and {miss} missing files")
        return out

    def exit_code(self) -> int:
        if self.graph.nothing_found():
            return EXIT_INCOMPLETE
        failed = (self.audit is not None and self.audit.exit_code() == EXIT_POLICY) or \
            (self.integrity is not None and not self.integrity.clean)
        return EXIT_POLICY if failed else EXIT_OK


def _prepare_store(options: ScanOptions, status: Status, warn: Status):  # type: ignore[no-untyped-def]
    """Fill the advisory store as asked; (store or None, note for the summary)."""
    from assay.vulndb.store import Store, default_path

    path = Path(options.config.db) if options.config.db else default_path()
    if not options.advisories and not options.update and not path.is_file():
        return None, (f"skipped: no advisory data in {path} (pass --advisories PATH, --update, "
                      "or run `assay db import`)")
    # only an import or update writes; an audit of what is there opens it read-only
    store = Store(path, create=True) if options.advisories or options.update else Store(path, readonly=True)
    try:
        if options.update:
            from assay.vulndb.update import update as do_update

            status("updating advisories…")
            report = do_update(store)
            for source, reason in report.failed.items():
                warn(f"advisory source {source} not updated: {reason}; using local data")
        if options.advisories:
            from assay.vulndb.importer import import_paths

            status("importing advisories…")
            import_paths(store, options.advisories)
        if store.is_empty():
            running = store.import_running()
            store.close()
            if running is not None:
                return None, (f"skipped: an import into {path} is still running (pid {running.get('pid')}); "
                              "it holds no advisories until that finishes")
            return None, (f"skipped: no advisory data in {path} (pass --advisories PATH, --update, "
                          "or run `assay db import`)")
    except BaseException:
        store.close()
        raise
    return store, f"advisory database {path}"


def scan(target: str | os.PathLike[str] | None, options: ScanOptions | None = None, *,
         status: Status | None = None, warn: Status | None = None) -> ScanResult:
    """Scan ``target`` and write its documents into ``options.out`` (see the module docstring)."""
    options = options or ScanOptions()
    status = status or (lambda _msg: None)
    warn = warn or (lambda _msg: None)
    out = Path(options.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    db_path = options.config.db
    inputs = [p for p in (target, db_path, *options.advisories) if p is not None]
    for name in DOCUMENTS:  # before the work: no document may land on an input
        refuse_inputs(out / name, inputs)
    if target is not None and same_file(out, target):
        raise InputError(f"{out}: is the scanned folder itself; write the documents somewhere else")
    status("cataloguing…")
    catalogue = catalog.run(target, catalog.Options(
        bundled=options.bundled, allow_includes_outside=options.allow_includes_outside))
    graph = catalogue.graph
    if options.creator:
        graph.metadata["creator"] = options.creator

    audit, note = None, ""
    store, note = _prepare_store(options, status, warn)
    if store is not None:
        from assay.audit import audit_graph

        try:
            status("auditing…")
            audit = audit_graph(graph, config=options.config, store=store)
        finally:
            store.close()

    integrity = None
    if catalogue.layout is not None:
        from assay.integrity import check

        status("checking installed files…")
        integrity = check(graph, catalogue.layout)

    result = ScanResult(catalogue, audit, note, integrity, out)
    documents: list[tuple[str, str]] = []
    render = formats.render
    r = options.reproducible
    documents.append(("sbom.spdx.json", render("sbom", "spdx-json", graph, reproducible=r)))
    if audit is not None:
        from assay.sources.directory import repository_root

        report = AuditReport(audit, graph, source_root=str(repository_root()))
        documents.append(("sbom.cdx.json", render("audit", "cyclonedx-json", report, reproducible=r)))
    else:
        documents.append(("sbom.cdx.json", render("sbom", "cyclonedx-json", graph, reproducible=r)))
    documents.append(("inventory.json", render("sbom", "json", graph, reproducible=r)))
    if audit is not None:
        documents.append(("audit.json", render("audit", "json", report, reproducible=r)))
        documents.append(("audit.sarif", render("audit", "sarif", report, reproducible=r)))
        documents.append(("audit.md", render("audit", "markdown", report, reproducible=r)))
    if integrity is not None:
        documents.append(("integrity.json", render("integrity", "json", integrity, reproducible=r)))
    page = ScanReport(graph, audit, note, integrity, exit_code=result.exit_code(),
                      reasons=tuple(result.reasons()), documents=tuple(name for name, _ in documents))
    documents.append(("report.html", render("scan", "html", page, reproducible=r)))
    _write_folder(out, documents, inputs)
    result.written = [name for name, _ in documents]
    return result


def _write_folder(out: Path, documents: list[tuple[str, str]], inputs: list) -> None:  # type: ignore[type-arg]
    """Every document complete in a temporary folder first, then moved into ``out``."""
    for name, _text in documents:
        refuse_inputs(out / name, inputs)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{out}: folder {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise InputError(f"{out}: cannot write into {parent} ({exc.strerror})") from None
    try:
        for name, text in documents:
            (tmp / name).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            os.chmod(tmp / name, 0o644)
        if not out.exists():
            os.chmod(tmp, 0o755)  # noqa: S103 - a folder of documents others may read
            os.replace(tmp, out)
            return
        for name, _ in documents:
            os.replace(tmp / name, out / name)
    except OSError as exc:
        raise InputError(f"{out}: cannot write the scan's documents ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["ScanOptions", "ScanResult", "scan"]
