"""Rules written against the misses of the hold-out batch untuned38 (after its one measurement)."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import native, wheel_by_prefix


@pytest.mark.slow
def test_hdf5_subrelease_and_four_part_netcdf() -> None:
    # py3dti's stripped extension links HDF5 1.10.0-patch1 (H5_VERS_INFO keeps the subrelease,
    # which names the release: reporting 1.10.0 would hide the patch release's fixes) and netCDF-C
    # 4.4.1.1, a four-part release ("4.4.1.1 of Feb 13 2017 ...")
    g = catalog_artifact(wheel_by_prefix("py3dti-", "linux", ("untuned38.json",)))
    found = {(c.name, c.version) for c in native(g)}
    assert {("hdf5", "1.10.0-patch1"), ("netcdf", "4.4.1.1")} <= found
    # the Windows build's separate DLLs: HDF5 1.8.16 and netCDF 4.4.1 as written, no subrelease
    w = catalog_artifact(wheel_by_prefix("py3dti-", "win", ("untuned38.json",)))
    found = {(c.name, c.version) for c in native(w)}
    assert {("hdf5", "1.8.16"), ("netcdf", "4.4.1")} <= found
