"""Names for things, computed in one place for every input: purl, CPE, hash algorithm names,
RECORD rows, PEP 610/710 download info, core metadata, licenses, versions.

Below the catalogers and enrichers (DESIGN.md: model <- identity <- sources <- catalog / enrich):
pure functions over text and values, no file I/O.
"""
