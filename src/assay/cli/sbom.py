"""assay sbom: the inventory of a TARGET as SPDX 2.3, CycloneDX 1.6, assay JSON or a table."""

from __future__ import annotations

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK

FORMATS = ["cyclonedx-json", "spdx-json", "json", "table"]  # the registry's "sbom" renderers


@click.command()
@click.argument("target", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="cyclonedx-json",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (atomically) instead of stdout.")
@click.option("--creator", envvar="ASSAY_CREATOR", metavar="WHO",
              help="Who produces this SBOM (NTIA author), e.g. 'Organization: ACME' or "
                   "'Person: Jane Doe (jane@example.org)'; also ASSAY_CREATOR.")
@click.option("--reproducible", is_flag=True,
              help="Byte-identical output for the same input (fixed timestamp; SOURCE_DATE_EPOCH wins).")
@click.option("--allow-includes-outside", is_flag=True,
              help="Requirements files: follow -r includes that leave the folder of the file given "
                   "(by default they are reported, not read: a file could name /etc/shadow).")
@click.option("--bundled/--no-bundled", default=True, show_default=True,
              help="Look inside distributions for native libraries and vendored projects.")
@click.option("--embed", is_flag=True,
              help="WHEEL only: write the bundled components' SBOM into the wheel's "
                   ".dist-info/sboms/ (PEP 770) and update RECORD.")
@click.option("--strict", is_flag=True, help="Exit 3 when anything remains unknown.")
def sbom(target: str | None, fmt: str, output: str | None, creator: str | None, reproducible: bool,
         allow_includes_outside: bool, bundled: bool, embed: bool, strict: bool) -> int:
    """Inventory TARGET and write an SBOM.

    TARGET is a virtual environment, a site-packages folder, a Python executable
    (asked for its sys.path in a subprocess; nothing is imported), a wheel, an
    sdist, a requirements file or lock file, a pip `install --report` JSON, an
    SPDX/CycloneDX document, or CPython itself: a source tarball or tree (its vendored
    projects, checked against its own Misc/sbom.spdx.json), an interpreter (with the native
    libraries it loads), a Windows embeddable zip or NuGet package. Without TARGET: the
    environment of the Python running assay.

    \b
    Examples:
      assay sbom .venv -f spdx-json -o sbom.spdx.json
      assay sbom /usr/bin/python3 -f table
      assay sbom dist/pkg-1.0-py3-none-any.whl --embed
      assay sbom Python-3.13.5.tar.xz -f cyclonedx-json
      SOURCE_DATE_EPOCH=0 assay sbom .venv --reproducible   # byte-identical reruns
    """
    from assay import catalog, formats
    from assay.cli import common
    from assay.output import check, emit

    check(output)  # before the work: an output that is an input or cannot be written

    with common.status("cataloguing…"):
        result = catalog.run(target, catalog.Options(bundled=bundled,
                                                     allow_includes_outside=allow_includes_outside))
    graph = result.graph
    for note in result.notes:
        common.warn(note)
    if creator:
        graph.metadata["creator"] = creator
    if embed:
        from assay.enrich.bundled.embed import bundled_subgraph, embed_sbom

        if result.kind != "wheel":
            from assay.errors import InputError

            raise InputError(f"{target}: --embed needs a wheel file (.whl), not a {result.kind}")
        embedded = formats.render("sbom", "cyclonedx-json", bundled_subgraph(graph))
        member = embed_sbom(target, embedded)
        common.info(f"embedded {member} into {target} and added it to RECORD")
    emit(formats.render("sbom", fmt, graph, reproducible=reproducible,
                        color=None if output is None or output == "-" else False), output)
    _summary(graph, output)
    if graph.nothing_found() or (strict and graph.unknowns):
        return EXIT_INCOMPLETE
    return EXIT_OK


def _summary(graph, output: str | None) -> None:
    from collections import Counter

    from rich.markup import escape

    from assay.cli import common

    kinds = Counter(c.kind.value for c in graph.packages())
    parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    where = f" → {output}" if output else ""
    root = graph.root_component
    of = escape(f"{root.name} {root.version or ''}".strip() + f" ({root.kind.value}): ") if root else ""
    common.info(f"{of}[bold]{len(graph.packages())}[/] other components ({parts or 'none'}), "
                f"{len(graph.relationships)} relationships, {len(graph.unknowns)} unknowns{where}")
    for u in graph.unknowns[:5]:
        common.warn(f"{u.subject}: {u.reason} {u.detail}".strip())
    if len(graph.unknowns) > 5:
        common.warn(f"… and {len(graph.unknowns) - 5} more unknowns (see the document)")

