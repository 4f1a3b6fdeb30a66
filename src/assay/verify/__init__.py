"""Signatures and attestations of release artifacts, judged against who should have signed them.

Library entry points (the CLI commands ``assay verify``, ``release-audit`` and
``release-check`` are thin layers over these):

- :class:`assay.verify.engine.Engine` with :class:`~assay.verify.engine.Options`:
  one verdict per artifact; holds the Sigstore trust root and OpenPGP keyring
  for the whole run.
- :mod:`assay.verify.policy`: identity policies as immutable, composable values
  (TOML; the CPython policy ships as ``cpython``).
- :mod:`assay.verify.release`: listing, fetching and auditing whole releases.
- :mod:`assay.verify.model`: :class:`Verdict`, :class:`Check`, :class:`Status`,
  :class:`Reason`; :mod:`assay.verify.report` renders them.

Nothing here imports the catalogers, and nothing from a verified artifact is executed.
"""
