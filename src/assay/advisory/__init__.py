"""What a CVE Numbering Authority runs: CVE JSON 5 and OSV records, fix commits to versions, ids.

Modules (each importable on its own; nothing heavy is imported until used):

* ``cve5``      a CVE JSON 5 record → the OSV fields a PSF-style database holds
* ``importer``  ``import-cve``: merge those into an advisory database, in place, without churn
* ``database``  the ``advisories/<product>/<ID>.json`` folder: index, next id, reservations
* ``jsonstyle`` write a record back in the layout it was read in
* ``validate``  the official schemas (``schemas``) plus the checks they cannot express
* ``resolve``   fix commits → first release per branch → CVE ``versions``
* ``draft``     one :class:`~assay.advisory.draft.Advisory` from an OSV record or a TOML/YAML draft
* ``export``    an advisory → a CVE JSON 5 record
* ``announce``  an advisory → mailing-list text or Markdown

Example::

    from pathlib import Path
    from assay.advisory.database import Database
    from assay.advisory.importer import import_files

    for outcome in import_files(Database(Path("advisory-database")), [Path("cves/")]):
        print(outcome.action, outcome.cve_id, outcome.id)
"""
