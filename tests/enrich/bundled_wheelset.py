"""Real wheels from PyPI used by the bundled-library tests and the benchmark, pinned by sha256.

``EXPECTED`` holds what each wheel's bytes prove (checked by hand with strings/objdump
as well as by assay): (library, version) pairs that must be found, exactly.
"""

from __future__ import annotations

ML = "manylinux_2_17_x86_64.manylinux2014_x86_64"

WHEELS: dict[str, str] = {
    f"Pillow-10.0.0-cp311-cp311-{ML}.whl":
        "0b6eb5502f45a60a3f411c63187db83a3d3107887ad0d036c13ce836f8a36f1d",
    f"Pillow-10.0.1-cp311-cp311-{ML}.whl":
        "93139acd8109edcdeffd85e3af8ae7d88b258b3a1e13a038f542b79b6d255c54",
    "Pillow-10.0.0-cp311-cp311-macosx_10_10_x86_64.whl":
        "9fb218c8a12e51d7ead2a7c9e101a04982237d4855716af2e9499306728fb485",
    "Pillow-10.0.0-cp311-cp311-win_amd64.whl":
        "3a82c40d706d9aa9734289740ce26460a11aeec2d9c79b7af87bb35f0073c12f",
    "Pillow-10.0.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl":
        "3ed64f9ca2f0a95411e88a4efbd7a29e5ce2cea36072c53dd9d26d9c76f753b3",
    f"cryptography-41.0.3-cp37-abi3-{ML}.whl":
        "84537453d57f55a50a5b6835622ee405816999a7113267739a1b4581f83535bd",
    f"lxml-4.9.3-cp311-cp311-{ML}.manylinux_2_24_x86_64.whl":
        "9767e79108424fb6c3edf8f81e6730666a50feb01a328f4a016464a5893f835a",
    "pip-21.3.1-py3-none-any.whl":
        "deaf32dcd9ab821e359cd8330786bcd077604b5c5730c0b096eda46f95c24a2d",
    f"lxml-5.1.0-cp311-cp311-{ML}.whl":
        "7cfced4a069003d8913408e10ca8ed092c49a7f6cefee9bb74b6b3e860683b45",
    f"confluent_kafka-2.3.0-cp311-cp311-{ML}.whl":
        "e9b42bf1b75fdd9aa20c77b27f166f6289440ac649f70622a0117a8e7aa6169d",
    f"psycopg2_binary-2.9.9-cp311-cp311-{ML}.whl":
        "977646e05232579d2e7b9c59e21dbe5261f403a88417f6a6512e70d3f8a046be",
    f"pyzmq-25.1.2-cp311-cp311-{ML}.whl":
        "7598d2ba821caa37a0f9d54c25164a4fa351ce019d64d0b44b45540950458840",
    f"pyproj-3.6.1-cp311-cp311-{ML}.whl":
        "65ad699e0c830e2b8565afe42bd58cc972b47d829b2e0e48ad9638386d994915",
    f"shapely-2.0.2-cp311-cp311-{ML}.whl":
        "737dba15011e5a9b54a8302f1748b62daa207c9bc06f820cd0ad32a041f1c6f2",
    "shapely-2.0.2-cp311-cp311-win_amd64.whl":
        "dc9342fc82e374130db86a955c3c4525bfbf315a248af8277a913f30911bed9e",
    f"h5py-3.10.0-cp311-cp311-{ML}.whl":
        "6c013d2e79c00f28ffd0cc24e68665ea03ae9069e167087b2adb5727d2736a52",
    f"numpy-1.26.4-cp311-cp311-{ML}.whl":
        "666dbfb6ec68962c033a450943ded891bed2d54e6755e35e5835d63f4f6931d5",
    "numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl":
        "4c66707fabe114439db9068ee468c26bbdf909cac0fb58686a42a24de1760c71",
    "numpy-1.26.4-cp311-cp311-win_amd64.whl":
        "cd25bcecc4974d09257ffcd1f098ee778f7834c3ad767fe5db785be9a4aa9cb2",
    f"scipy-1.11.4-cp311-cp311-{ML}.whl":
        "530f9ad26440e85766509dbf78edcfe13ffd0ab7fec2560ee5c36ff74d6269ff",
    f"pysqlite3_binary-0.5.2.post1-cp311-cp311-{ML}.whl":
        "3748b00d927b2153a6c5f5d5cdefef11ca9e3ef1e7a87122e3b93c38aced68a9",
    f"tables-3.9.2-cp311-cp311-{ML}.whl":
        "8e67c71070b871fade3694a4c764504e03836bb1843321766cf2e40b7d280e84",
    f"av-12.0.0-cp311-cp311-{ML}.whl":
        "7a6d4f1e261df48932128e6495772faa4cc23f5dd1512eec73daab82ad9f3240",
    f"pygame-2.5.2-cp311-cp311-{ML}.whl":
        "0e24d05184e4195fe5ebcdce8b18ecb086f00182b9ae460a86682d312ce8d31f",
    f"opencv_python_headless-4.9.0.80-cp37-abi3-{ML}.whl":
        "976656362d68d9f40a5c66f83901430538002465f7db59142784f3893918f3df",
    f"grpcio-1.60.0-cp311-cp311-{ML}.whl":
        "3b36a2c6d4920ba88fa98075fdd58ff94ebeb8acc1215ae07d01a418af4c0253",
    f"psycopg_binary-3.1.18-cp311-cp311-{ML}.whl":
        "7121acc783c4e86d2d320a7fb803460fab158a7f0a04c5e8c5d49065118c1e73",
    f"xmlsec-1.3.14-cp311-cp311-{ML}.whl":
        "204d3c586b8bd6f02a5d4c59850a8157205569d40c32567f49576fa5795d897d",
    f"zstandard-0.22.0-cp311-cp311-{ML}.whl":
        "33591d59f4956c9812f8063eff2e2c0065bc02050837f152574069f5f9f17775",
    f"lz4-4.3.3-cp311-cp311-{ML}.whl":
        "0e9c410b11a31dbdc94c05ac3c480cb4b222460faf9231f12538d0074e56c563",
    f"Brotli-1.1.0-cp311-cp311-{ML}.whl":
        "a469274ad18dc0e4d316eefa616d1d0c2ff9da369af19fa6f3daa4f09671fd61",
    f"matplotlib-3.8.2-cp311-cp311-{ML}.whl":
        "5ba9cbd8ac6cf422f3102622b20f8552d601bf8837e49a3afed188d560152788",
    f"cffi-1.16.0-cp311-cp311-{ML}.whl":
        "7b78010e7b97fef4bee1e896df8a4bbb6712b7f05b7ef630f9d1da00f6444d2e",
    f"PyNaCl-1.5.0-cp36-abi3-{ML}.whl":
        "06b8f6fa7f5de8d5d2f7573fe8c863c051225a27b61e6860fd047b1775807858",
    # added after the rules were written, to check they generalise (and fixed where they did not)
    "rasterio-1.3.9-cp311-cp311-manylinux2014_x86_64.whl":
        "be9b343bd08245df22115775dc9513c912afb4134d832662fa165d70cb805c34",
    f"pymssql-2.2.11-cp311-cp311-{ML}.whl":
        "fa1767239ed45e1fa91d82fc0c63305750530787cd64089cabbe183eb538a35b",
    f"gevent-23.9.1-cp311-cp311-{ML}.whl":
        "bf7af500da05363e66f122896012acb6e101a552682f2352b618e541c941a011",
    f"pycares-4.4.0-cp311-cp311-{ML}.whl":
        "b61579cecf1f4d616e5ea31a6e423a16680ab0d3a24a2ffe7bb1d4ee162477ff",
    "lxml-5.1.0-cp311-cp311-macosx_10_9_universal2.whl":
        "14deca1460b4b0f6b01f1ddc9557704e8b365f55c63070463f6c18619ebf964f",
    "cryptography-41.0.3-cp37-abi3-win_amd64.whl":
        "a983e441a00a9d57a4d7c91b3116a37ae602907a7618b882c8013b5762e80574",
    "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "adb43972f75500fae50279919d589a49b91ed7a74ec03e811c5000727dd63cea",
    "pillow-10.2.0-cp311-cp311-musllinux_1_1_x86_64.whl":
        "609448742444d9290fd687940ac0b57fb35e6fd92bdb65386e08e99af60bf757",
    f"pyzmq-26.0.3-cp311-cp311-{ML}.whl":
        "4b7c0c0b3244bb2275abe255d4a30c050d541c6cb18b870975553f1fb6f37527",
    f"psycopg_binary-3.2.3-cp311-cp311-{ML}.whl":
        "7d784f614e4d53050cbe8abf2ae9d1aaacf8ed31ce57b42ce3bf2a48a66c3a5c",
    f"numpy-2.0.0-cp311-cp311-{ML}.whl":
        "a7039a136017eaa92c1848152827e1424701532ca8e8967fe480fe1569dae581",
    f"imagecodecs-2024.6.1-cp311-cp311-{ML}.whl":
        "9eb5b2d755a64de9a7e0604d5dcc1151c96b43b4e5ac69bebc6d8d790b77ca58",
    f"lupa-2.0-cp311-cp311-{ML}.whl":
        "50c529e5ecf3ec5b3e57efbb9a5def5125ceb7b95f12e2c89c34535856abb1ac",
    f"pygit2-1.14.0-cp311-cp311-{ML}.whl":
        "3adf7fd8af9bc3b6e11e4920abb0121cdad6f8299ed1d7643e756ab49dbb4e34",
    f"cryptography-3.4.8-cp36-abi3-{ML}.whl":
        "1eb7bb0df6f6f583dd8e054689def236255161ebbcf62b226454ab9ec663746b",
    "pyzmq-25.1.2-cp311-cp311-win_amd64.whl":
        "25c2dbb97d38b5ac9fd15586e048ec5eb1e38f3d47fe7d92167b0c77bb3584e9",
}

PILLOW_10_0_0 = {
    ("libwebp", "1.3.1"), ("libwebpmux", "1.3.1"), ("libwebpdemux", "1.3.1"), ("libsharpyuv", "0.2.1"),
    ("libjpeg-turbo", "2.1.5.1"), ("libtiff", "4.5.1"), ("libpng", "1.6.40"), ("freetype", "2.13.1"),
    ("harfbuzz", "7.3.0"), ("lcms2", "2.15"), ("openjpeg", "2.5.0"), ("xz", "5.4.3"), ("brotli", "1.0.9"),
    ("bzip2", "1.0.8"),
}

# what each wheel's bytes prove; the benchmark measures recall against this
EXPECTED: dict[str, set[tuple[str, str]]] = {
    f"Pillow-10.0.0-cp311-cp311-{ML}.whl": PILLOW_10_0_0,
    f"Pillow-10.0.1-cp311-cp311-{ML}.whl": {
        ("libwebp", "1.3.2"), ("libwebpmux", "1.3.2"), ("libwebpdemux", "1.3.2"), ("libjpeg-turbo", "3.0.0"),
        ("libtiff", "4.5.1"), ("libpng", "1.6.40"), ("freetype", "2.13.2"), ("harfbuzz", "8.2.0"),
        ("lcms2", "2.15"), ("openjpeg", "2.5.0"), ("xz", "5.4.4"), ("brotli", "1.1.0"), ("bzip2", "1.0.8"),
    },
    "Pillow-10.0.0-cp311-cp311-macosx_10_10_x86_64.whl": {
        ("libwebp", "1.3.1"), ("libwebpmux", "1.3.1"), ("libwebpdemux", "1.3.1"), ("libtiff", "4.5.1"),
        ("libpng", "1.6.40"), ("harfbuzz", "7.3.0"), ("lcms2", "2.15"), ("openjpeg", "2.5.0"),
        ("xz", "5.4.3"), ("brotli", "1.0.9"), ("zlib", "1.2.13"), ("libjpeg-turbo", "2.1.5.1"),
    },
    "Pillow-10.0.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl":
        PILLOW_10_0_0 - {("brotli", "1.0.9")},  # AArch64 code: movz/movk, adrp/add readers
    "Pillow-10.0.0-cp311-cp311-win_amd64.whl": {
        ("libjpeg-turbo", "2.1.5.1"), ("libtiff", "4.5.1"), ("zlib", "1.2.13"),
    },
    f"cryptography-41.0.3-cp37-abi3-{ML}.whl": {("openssl", "3.1.2")},
    f"lxml-4.9.3-cp311-cp311-{ML}.manylinux_2_24_x86_64.whl": {
        ("libxml2", "2.10.3"), ("libxslt", "1.1.38"), ("libexslt", "0.8.21"), ("libiconv", "1.17"),
        ("zlib", "1.2.13"),
    },
    f"lxml-5.1.0-cp311-cp311-{ML}.whl": {
        ("libxml2", "2.12.3"), ("libxslt", "1.1.39"), ("libiconv", "1.17"), ("zlib", "1.3"),
    },
    f"confluent_kafka-2.3.0-cp311-cp311-{ML}.whl": {
        ("librdkafka", "2.3.0"), ("openssl", "3.0.11"), ("zstd", "1.5.2"), ("lz4", "1.9.3"),
        ("zlib", "1.2.13"),
    },
    f"psycopg2_binary-2.9.9-cp311-cp311-{ML}.whl": {
        ("libpq", "16.0"), ("openssl", "1.1.1w"), ("krb5", "1.15.1"), ("pcre", "8.32"),
    },
    f"psycopg_binary-3.1.18-cp311-cp311-{ML}.whl": {
        ("libpq", "16.0"), ("openssl", "1.1.1w"), ("krb5", "1.15.1"),
    },
    f"pyzmq-25.1.2-cp311-cp311-{ML}.whl": {("libzmq", "4.3.4"), ("libsodium", "1.0.18")},
    f"pyproj-3.6.1-cp311-cp311-{ML}.whl": {
        ("proj", "9.3.0"), ("sqlite", "3.42.0"), ("libtiff", "4.5.0"), ("nghttp2", "1.54.0"),
        ("openssl", "1.1.1l"),
    },
    f"shapely-2.0.2-cp311-cp311-{ML}.whl": {("geos", "3.11.2")},
    "shapely-2.0.2-cp311-cp311-win_amd64.whl": {("geos", "3.11.2")},
    f"h5py-3.10.0-cp311-cp311-{ML}.whl": {("hdf5", "1.14.2")},
    f"numpy-1.26.4-cp311-cp311-{ML}.whl": {("openblas", "0.3.23")},
    "numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl": {("openblas", "0.3.23")},
    f"scipy-1.11.4-cp311-cp311-{ML}.whl": {("openblas", "0.3.21")},
    f"pysqlite3_binary-0.5.2.post1-cp311-cp311-{ML}.whl": {("sqlite", "3.43.1")},
    f"tables-3.9.2-cp311-cp311-{ML}.whl": {
        ("hdf5", "1.14.2"), ("blosc", "1.21.5"), ("blosc2", "2.11.2"), ("zstd", "1.5.5"), ("lz4", "1.9.4"),
        ("zlib-ng", "2.0.7"), ("bzip2", "1.0.6"),
    },
    f"av-12.0.0-cp311-cp311-{ML}.whl": {
        ("ffmpeg", "6.1.1"), ("libvpx", "1.14.0"), ("dav1d", "1.4.1"), ("libopus", "1.4"),
        ("libvorbis", "1.3.7"), ("harfbuzz", "4.1.0"), ("freetype", "2.10.1"), ("libpng", "1.6.37"),
        ("libxml2", "2.9.13"), ("openjpeg", "2.5.2"), ("xz", "5.4.4"), ("gmp", "6.3.0"),
    },
    f"pygame-2.5.2-cp311-cp311-{ML}.whl": {
        ("sdl2", "2.28.2"), ("freetype", "2.12.1"), ("harfbuzz", "5.1.0"), ("libjpeg-turbo", "2.1.4"),
        ("libpng", "1.6.37"), ("libtiff", "4.4.0"), ("libwebp", "1.2.2"), ("flac", "1.3.4"),
        ("libopus", "1.3.1"), ("libvorbis", "1.3.7"), ("libsndfile", "1.1.0"), ("brotli", "1.0.9"),
    },
    f"opencv_python_headless-4.9.0.80-cp37-abi3-{ML}.whl": {
        ("opencv", "4.9.0"), ("ffmpeg", "5.1.4"), ("libvpx", "1.13.1"), ("libpng", "1.6.40"),
        ("openssl", "1.1.1w"),
    },
    f"grpcio-1.60.0-cp311-cp311-{ML}.whl": {("zlib", "1.2.13")},
    f"xmlsec-1.3.14-cp311-cp311-{ML}.whl": {
        ("libxml2", "2.12.6"), ("libxslt", "1.1.39"), ("zlib", "1.3.1"),
    },
    f"zstandard-0.22.0-cp311-cp311-{ML}.whl": {("zstd", "1.5.5")},
    f"lz4-4.3.3-cp311-cp311-{ML}.whl": {("lz4", "1.9.4")},
    f"Brotli-1.1.0-cp311-cp311-{ML}.whl": {("brotli", "1.1.0")},
    # IJG libjpeg 9c (not libjpeg-turbo); GDAL's internal 12-bit libjpeg 6b; GDAL's version only
    # in its build paths (.../gdal-3.6.4/port/cpl_conv.cpp; the file name's 32.3.6.4 agrees): a
    # docstring's "GDAL 1.1.7, released 2002/04/16" must not count
    "rasterio-1.3.9-cp311-cp311-manylinux2014_x86_64.whl": {
        ("gdal", "3.6.4"), ("libjpeg", "9c"), ("libjpeg", "6b"), ("proj", "9.0.1"), ("sqlite", "3.33.0"),
        ("expat", "2.2.6"),
        ("hdf5", "1.12.1"), ("libpng", "1.6.35"), ("libtiff", "4.3.0"), ("libwebp", "1.3.2"),
        ("openjpeg", "2.4.0"), ("openssl", "1.1.1w"), ("zlib", "1.2.7"), ("zstd", "1.5.0"), ("xz", "5.2.2"),
    },
    # RHEL's libcrypto 1.0.2k also quotes "OpenSSL 1.0.0-fips" and "1.0.1e-fips" for old ABIs
    f"pymssql-2.2.11-cp311-cp311-{ML}.whl": {("openssl", "1.0.2k"), ("krb5", "1.15.1")},
    f"gevent-23.9.1-cp311-cp311-{ML}.whl": {("c-ares", "1.19.1"), ("libuv", "1.44.2")},
    f"pycares-4.4.0-cp311-cp311-{ML}.whl": {("c-ares", "1.18.1")},
    # a fat (x86_64 + arm64) Mach-O: symbols, and a pointer set by a chained fixup
    "lxml-5.1.0-cp311-cp311-macosx_10_9_universal2.whl": {
        ("libxml2", "2.12.3"), ("libxslt", "1.1.39"), ("libexslt", "0.8.21"), ("libiconv", "1.17"),
        ("zlib", "1.3"),
    },
    "cryptography-41.0.3-cp37-abi3-win_amd64.whl": {("openssl", "3.1.2")},
    # MuPDF's lcms2mt fork answers cmsGetEncodedCMMversion with 140: no lcms2 version (UNPROVEN)
    "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl": {
        ("libjpeg", "9e"), ("zlib", "1.2.13"),
    },
    "pillow-10.2.0-cp311-cp311-musllinux_1_1_x86_64.whl": {
        ("libwebp", "1.3.2"), ("libjpeg-turbo", "3.0.1"), ("libtiff", "4.6.0"), ("libpng", "1.6.40"),
        ("freetype", "2.13.2"), ("harfbuzz", "8.3.0"), ("lcms2", "2.16"), ("openjpeg", "2.5.0"),
        ("xz", "5.4.5"), ("brotli", "1.1.0"),
    },
    f"pyzmq-26.0.3-cp311-cp311-{ML}.whl": {("libzmq", "4.3.5"), ("libsodium", "1.0.19")},
    f"psycopg_binary-3.2.3-cp311-cp311-{ML}.whl": {("libpq", "17.0"), ("openssl", "3.3.1")},
    f"numpy-2.0.0-cp311-cp311-{ML}.whl": {("openblas", "0.3.27")},
    f"imagecodecs-2024.6.1-cp311-cp311-{ML}.whl": {
        ("libjxl", "0.10.2"), ("charls", "2.4.2"), ("libspng", "0.7.4"), ("zfp", "1.0.1"), ("zfp", "0.5.5"),
        ("dav1d", "1.4.1"), ("libavif", "1.0.4"), ("blosc", "1.21.5"), ("blosc2", "2.14.4"),
        ("brotli", "1.1.0"), ("brotli", "1.0.7"), ("lcms2", "2.16"), ("libjpeg-turbo", "3.0.3"),
        ("libpng", "1.6.43"), ("libtiff", "4.6.0"), ("libwebp", "1.4.0"), ("lz4", "1.9.4"),
        ("openjpeg", "2.5.2"), ("xz", "5.6.2"), ("zlib", "1.3.1"), ("zlib-ng", "2.1.6"), ("zstd", "1.5.6"),
        ("bzip2", "1.0.8"),
    },
    # five interpreters in one wheel; a docstring's '"LuaJIT 2.0.1".' must not count
    f"lupa-2.0-cp311-cp311-{ML}.whl": {
        ("lua", "5.2.3"), ("lua", "5.3.6"), ("lua", "5.4.4"), ("luajit", "2.0.5"), ("luajit", "2.1.0-beta3"),
    },
    f"pygit2-1.14.0-cp311-cp311-{ML}.whl": {
        ("libgit2", "1.7.1"), ("libssh2", "1.11.0"), ("openssl", "3.1.4"), ("pcre", "8.32"),
    },
    f"cryptography-3.4.8-cp36-abi3-{ML}.whl": {("openssl", "1.1.1l")},
    # delvewheel DLLs; zmq_version's stores follow the Windows x64 convention (rcx, rdx, r8)
    "pyzmq-25.1.2-cp311-cp311-win_amd64.whl": {("libzmq", "4.3.4"), ("libsodium", "1.0.18")},
}

# libraries whose version these wheels' bytes do not prove: assay must leave it unknown
UNPROVEN: dict[str, set[str]] = {
    "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl": {"lcms2"},
}
