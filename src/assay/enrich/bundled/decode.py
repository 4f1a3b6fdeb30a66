"""Read a version that a library keeps in code or in a constant, not in a string.

Some libraries have no version string: libwebp's ``WebPGetDecoderVersion`` is
``mov eax, 0x010301; ret``; ``hb_version_string`` returns a pointer to "7.3.0";
libxslt exports ``exsltLibxsltVersion`` as a const int. These readers take a symbol
found by :mod:`assay.enrich.bundled.binary` and return the integer or string it
yields, by reading the bytes: a few instruction forms that compilers emit for
"return a constant" on x86-64 and AArch64 (optimised or not), nothing else. If the
function does anything more, the answer is None (unknown), never a guess.
"""

from __future__ import annotations

import mmap
import re
import struct
from collections import Counter
from collections.abc import Iterator

from assay.enrich.bundled.binary import BinaryInfo, Symbol


def _at(data: bytes | mmap.mmap, pos: int, prefix: bytes) -> bool:
    """``data.startswith(prefix, pos)`` for bytes and for memory-mapped members alike."""
    return data[pos:pos + len(prefix)] == prefix


def read_symbol(data: bytes, info: BinaryInfo, sym: Symbol, how: str) -> int | str | None:
    """``how``: "ret-int" | "ret-str" | "ret-ptr-int@OFFSET" | "ret-ptr-u16-version" |
    "ret-table-str@INDEX" | "main-ptr-str" |
    "ret-float@SCALE" | "tail-str" | "loads-str" | "cmp-arg1" | "cmp-arg2" | "printf-args"
    (functions),
    "int" | "str" | "ptr-str" (data objects)."""
    if sym.offset < 0 or sym.offset >= len(data):
        return None
    if how == "int":
        return struct.unpack_from("<i" if info.format != "elf" or data[5] == 1 else ">i", data, sym.offset)[0]
    if how == "str":
        return _cstr(data, sym.offset)
    if how == "ptr-str":
        target = info.pointer_at(sym.vaddr)
        return _str_at(data, info, target)
    if how == "store-args":
        if info.machine == "aarch64":
            stored = stored_version(data, sym.offset, sym.vaddr)
        elif info.machine == "x86_64":
            stored = _x86_stores(data, sym.offset, win64=info.format == "pe")
        else:
            return None
        return ".".join(str(v) for v in stored) if stored else None
    if how == "printf-args":
        # a version function formatting constants into its own buffer with a printf-like call:
        # the text rendered from the format and the integers it is passed (onig_version())
        return x86_printf_text(data, info, sym.offset, sym.vaddr)
    if how == "tail-str":
        return _str_at(data, info, _tail_string(data, info, sym))
    if how == "record-str":
        return _x86_version_record(data, info, sym)
    if how == "loads-str":
        if info.machine == "aarch64":
            return _aarch64_loaded_version(data, info, sym)
        return _x86_loaded_version(data, info, sym) if info.machine == "x86_64" else None
    if how.startswith("fields@"):
        # a getter copying an object's fields through its pointer arguments, the object filled with
        # constants by the named constructor (FreeType: FT_Library_Version reads what FT_New_Library
        # wrote): arm64 and x86-64
        named = how.partition("@")[2]
        ctor = info.symbol(named)
        if ctor is None and (cut := sym.name.find(named.split("_", 1)[0] + "_")) > 0:
            # a copy renamed under a vendor's prefix (VTK's vtkfreetype_FT_Library_Version): its
            # constructor carries the same prefix
            ctor = info.symbol(sym.name[:cut] + named)
        if ctor is None or not 0 <= ctor.offset < len(data):
            return None
        if info.machine == "aarch64":
            args = aarch64_field_getter(data, sym.offset)
            fields = aarch64_constant_fields(data, ctor.offset, ctor.vaddr, info)
        elif info.machine == "x86_64":
            win64 = info.format == "pe"
            args = x86_field_getter(data, sym.offset, win64=win64)
            fields = x86_constant_fields(data, ctor.offset, ctor.vaddr, info, size=ctor.size)
        else:
            return None
        if args is None or sorted(args) != list(range(1, len(args) + 1)):
            return None
        values = [set(fields.get(args[a], [])) for a in sorted(args)]
        # one constant per field, all stored through one register (the object's)
        if any(len(v) != 1 for v in values) or len({b for v in values for b, _ in v}) != 1:
            return None
        nums = [next(iter(v))[1] for v in values]
        return ".".join(map(str, nums)) if all(0 <= n < 1000 for n in nums) else None
    if how.startswith("ret-ptr-int@"):
        # a function returning a pointer to a struct whose int32 field at this offset is the version
        kind, value = _returned(data, info, sym)
        if kind != "addr" or value is None:
            return None
        off = info.offset_of(value + int(how.partition("@")[2]))
        if off is None or off + 4 > len(data):
            return None
        return struct.unpack_from("<i", data, off)[0]
    if how.startswith("ret-table-str@"):
        # a function returning the address of a table of function pointers, whose entry at this
        # index returns the version text (ONNX Runtime's OrtGetApiBase(): {GetApi,
        # GetVersionString}); 64-bit tables only
        kind, value = _returned(data, info, sym)
        if kind != "addr" or value is None or info.machine not in ("x86_64", "aarch64"):
            return None
        target = info.pointer_at(value + 8 * int(how.partition("@")[2]))
        off = info.offset_of(target) if target else None
        if off is None or off >= len(data):
            return None
        kind, value = _returned(data, info, Symbol(f"{sym.name}[]", off, target, 0, True))
        return _str_at(data, info, value) if kind == "addr" else None
    if how == "table-parts":
        # a function indexing a static table of texts (GLEW's glewGetString: {NULL, "1.10.0", "1",
        # "10", "0"}): entry 1 is the version when entries 2-4 spell its parts; the table is the
        # first address the function loads (x86-64 lea; arm64 adrp/add); 64-bit pointers only
        table = _first_address(data, info, sym)
        if table is None:
            return None
        texts = []
        for i in range(1, 5):
            target = info.pointer_at(table + 8 * i)
            texts.append(_str_at(data, info, target) if target else None)
        if all(texts) and texts[0] == ".".join(texts[1:]) and all(t.isdigit() for t in texts[1:]):
            return texts[0]
        return None
    if how.startswith("fields-u16@"):
        # a getter returning three 16-bit fields of its object by value, the object filled with
        # constants by the named constructor (aws-crt-cpp: ApiHandle::GetCrtVersion() returns the
        # {major, minor, patch} ApiHandle::ApiHandle() stored); x86-64 only
        ctor = info.symbol(how.partition("@")[2])
        if ctor is None or info.machine != "x86_64" or info.format != "elf" or \
                not 0 <= ctor.offset < len(data):
            return None
        parts = x86_u16_getter(data, sym.offset)
        values = x86_u16_stores(data, ctor.offset)
        if parts is None or any(p not in values for p in parts):
            return None
        nums = [values[p] for p in parts]
        return ".".join(map(str, nums)) if all(n < 1000 for n in nums) and any(nums) else None
    if how == "printf-str":
        # the version a function formats from immediates ("%i.%i.%i" with 1, 7, 18: cJSON_Version())
        if info.machine == "x86_64" and info.format in ("elf", "pe"):
            return _x86_printf_version(data, info, sym)
        if info.machine == "aarch64" and info.format == "macho":
            return _aarch64_apple_printf_version(data, info, sym)
        return None
    if how == "main-ptr-str":
        # a per-thread accessor (libxml2's __xmlParserVersion() in a Windows DLL): on the main
        # thread it returns the global's address, and the global holds a pointer to the text
        glob = _x86_main_thread_global(data, sym.offset, sym.vaddr) if info.machine == "x86_64" else None
        return _str_at(data, info, info.pointer_at(glob)) if glob is not None else None
    if how == "ret-ptr-u16-version":
        return _u16_version(data, info, sym)
    if how.startswith("ret-float@"):
        # a function returning a float constant, scaled to an integer (CFITSIO's ffvers: 4.0603)
        value = _x86_float(data, info, sym)
        return round(value * int(how.partition("@")[2])) if value is not None else None
    if how == "cmp-arg1":
        # the constant a function requires its first argument to equal
        if info.machine == "aarch64":
            return _aarch64_cmp_arg2(data, sym.offset, sym.vaddr, info, arg=0)
        if info.machine == "x86_64":
            return _x86_cmp_arg1(data, sym.offset, win64=info.format == "pe")
        return None
    if how == "cmp-arg2":
        if info.machine == "aarch64":
            return _aarch64_cmp_arg2(data, sym.offset, sym.vaddr, info)
        return _x86_cmp_arg2(data, sym.offset) if info.machine == "x86_64" and info.format == "elf" else None
    if how in ("ret-int", "ret-str"):
        kind, value = _returned(data, info, sym)
        if kind == "int" and how == "ret-int":
            return value
        if kind == "int" and how == "ret-str" and info.format == "elf" and data[16:18] == b"\x02\x00" \
                and isinstance(value, int) and value > 0:
            # a position-dependent executable returns an address as a 32-bit constant (flatc's
            # FLATBUFFERS_VERSION(): mov eax, 0x6c910f)
            return _str_at(data, info, value)
        if kind == "addr" and how == "ret-str":
            text = _str_at(data, info, value)
            if text is None and sym.name.startswith("_Z") and info.format == "elf":
                text = cxx_string_object(data, info, value)  # a std::string object, not a text
            return text
        if kind == "addr" and how == "ret-int":
            return None
        if kind == "none" and how == "ret-str" and info.machine == "x86_64":
            # the text written into a static buffer by the function itself (GEOSversion())
            return x86_buffer_text(data, sym.offset, sym.vaddr, info)
    return None


_VERSION_TEXT = re.compile(r"[0-9]+\.[0-9]+(?:\.[0-9]+){0,2}")


def _aarch64_loaded_version(data: bytes, info: BinaryInfo, sym: Symbol, *, max_ins: int = 96
                            ) -> str | None:
    """The one version-shaped text a version function loads (``adrp``/``add`` pairs over its first
    ``max_ins`` instructions), whatever it does with it: libspatialindex's ``SIDX_Version()``
    streams SIDX_RELEASE_NAME into an ostringstream and returns a copy. None when the function
    loads no such text or two different ones."""
    pages: dict[int, int] = {}
    found: set[str] = set()
    size = sym.size if 0 < sym.size <= 4 * max_ins else 4 * max_ins
    end = min(sym.offset + size, len(data) - 4)
    for pos in range(sym.offset, end, 4):
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = sym.vaddr + (pos - sym.offset)
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0x9F000000 == 0x90000000:  # adrp
            pages[rd] = _adrp_page(ins, pc)
        elif ins & 0x9F000000 == 0x10000000:  # adr xd, #imm: a text within 1 MiB (Apple's ld)
            imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
            text = _str_at(data, info, pc + (imm - (1 << 21) if imm & (1 << 20) else imm))
            if text is not None and _VERSION_TEXT.fullmatch(text):
                found.add(text)
        elif ins & 0xFF800000 == 0x91000000 and rn in pages:  # add xd, xn, #imm
            text = _str_at(data, info, pages[rn] + (((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)))
            if text is not None and _VERSION_TEXT.fullmatch(text):
                found.add(text)
            pages.pop(rd, None)
        elif ins & 0xFFFFFC1F == 0xD65F0000:  # ret
            break
    return found.pop() if len(found) == 1 else None


def _x86_loaded_version(data: bytes, info: BinaryInfo, sym: Symbol, *, max_bytes: int = 96) -> str | None:
    """x86-64: the one version-shaped text a version function loads (``lea r64, [rip + d]`` over
    its first ``max_bytes``, up to its first ``ret``): SQLCipher's ``sqlcipher_version()``,
    ``sqlite3_mprintf("%s %s", CIPHER_VERSION_NUMBER, CIPHER_VERSION_BUILD)``. None when it loads
    no such text or two different ones."""
    known = sym.size
    if known <= 0 and info.format == "pe":
        # a PE symbol has no size: the exception table's entry for the function bounds it
        # (libspeex's speex_lib_ctl() returns through a jump table before it loads its text)
        bounds = _pe_function_bounds(data, info, sym.offset)
        if bounds is not None and bounds[0] == sym.offset and bounds[1] - bounds[0] <= 3 * max_bytes:
            known = max_bytes = bounds[1] - bounds[0]
    size = known if 0 < known <= max_bytes else max_bytes
    end = min(sym.offset + size, len(data) - 7)
    found: set[str] = set()
    for q in _LEA_RIP.finditer(data, sym.offset, end):
        ret = data.find(b"\xc3", sym.offset, q.start())
        if ret != -1 and known <= 0:
            break  # (without a size: up to the first byte that may be a ret)
        (disp,) = struct.unpack_from("<i", data, q.start() + 3)
        text = _str_at(data, info, sym.vaddr + (q.start() - sym.offset) + 7 + disp)
        if text is not None and _VERSION_TEXT.fullmatch(text):
            found.add(text)
    return found.pop() if len(found) == 1 else None


def _adrp_page(ins: int, pc: int) -> int:
    """The page address an arm64 ``adrp`` at ``pc`` puts in its register."""
    imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
    return (pc & ~0xFFF) + ((imm - (1 << 21) if imm & (1 << 20) else imm) << 12)


def _branch_target(ins: int, pc: int) -> int | None:
    """Where an arm64 direct branch at ``pc`` may jump (``b``, ``b.cond``, ``cbz``/``cbnz``,
    ``tbz``/``tbnz``); None for any other instruction."""
    if ins & 0x7C000000 == 0x14000000:  # b (bl is a call: it comes back)
        if ins & 0x80000000:
            return None
        imm, bits = ins & 0x3FFFFFF, 26
    elif ins & 0xFF000010 == 0x54000000 or ins & 0x7E000000 == 0x34000000:  # b.cond, cbz/cbnz
        imm, bits = (ins >> 5) & 0x7FFFF, 19
    elif ins & 0x7E000000 == 0x36000000:  # tbz/tbnz
        imm, bits = (ins >> 5) & 0x3FFF, 14
    else:
        return None
    return pc + 4 * (imm - (1 << bits) if imm >> (bits - 1) else imm)


def _constant_step(ins: int, pc: int, data: bytes, info: BinaryInfo, regs: dict[int, int],
                   addrs: dict[int, int]) -> bool:
    """Follow one arm64 instruction that builds a constant: ``movz``/``movn``/``movk`` (a value in
    ``regs``), ``adrp`` and ``add #imm`` (an address in ``addrs``), ``ldr dt, [xn, #uimm]`` of an
    8-byte constant from the file (d registers as 32-63 in ``regs``). False for any other
    instruction; a constant that cannot be known is forgotten."""
    rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
    if ins & 0x7F800000 in (0x52800000, 0x12800000):  # movz / movn
        imm = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
        regs[rd] = (imm if ins & 0x40000000 else ~imm) & (_MASK64 if ins >> 31 else 0xFFFFFFFF)
        addrs.pop(rd, None)
    elif ins & 0x7F800000 == 0x72800000:  # movk (onto a known value only)
        if rd in regs:
            shift = 16 * ((ins >> 21) & 3)
            regs[rd] = (regs[rd] & ~(0xFFFF << shift)) | (((ins >> 5) & 0xFFFF) << shift)
    elif ins & 0x9F000000 == 0x90000000:  # adrp
        addrs[rd] = _adrp_page(ins, pc)
        regs.pop(rd, None)
    elif ins & 0xFF800000 == 0x91000000 and rn in addrs:  # add xd, xn, #imm
        addrs[rd] = addrs[rn] + (((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0))
        regs.pop(rd, None)
    elif ins & 0xFFC00000 == 0xFD400000 and rn in addrs:  # ldr dt, [xn, #uimm]
        src = info.offset_of(addrs[rn] + ((ins >> 10) & 0xFFF) * 8)
        if src is not None and src + 8 <= len(data):
            regs[32 + rd] = int.from_bytes(data[src:src + 8], "little")
        else:
            regs.pop(32 + rd, None)
    else:
        return False
    return True


def _tail_string(data: bytes, info: BinaryInfo, sym: Symbol) -> int | None:
    """A function that only loads a string's address into an argument register and jumps on
    (ICU's ``u_getVersion``: ``u_versionFromString(info, "69.1")`` as a tail call): the string's
    address. x86-64: ``lea r64, [rip + d]`` then ``jmp``; arm64: ``adrp``/``add`` then ``b``."""
    off = sym.offset
    if info.machine == "x86_64":
        if _at(data, off, b"\xf3\x0f\x1e\xfa"):
            off += 4
        # (a build keeping frame pointers wraps it: push rbp; mov rbp, rsp ... pop rbp; jmp)
        framed = _at(data, off, b"\x55\x48\x89\xe5")
        if framed:
            off += 4
        if off + 12 > len(data) or data[off] not in (0x48, 0x4C) or data[off + 1] != 0x8D \
                or data[off + 2] & 0xC7 != 0x05:
            return None
        target = sym.vaddr + (off - sym.offset) + 7 + struct.unpack_from("<i", data, off + 3)[0]
        jump = off + 7 + (1 if framed and data[off + 7] == 0x5D else 0)
        if framed and jump == off + 7:
            return None  # the frame is not torn down before the jump: no tail call
        return target if data[jump] in (0xE9, 0xEB) else None
    if info.machine == "aarch64":
        words = [struct.unpack_from("<I", data, off + 4 * i)[0] for i in range(4)
                 if off + 4 * i + 4 <= len(data)]
        skip = 1 if words and words[0] in (0xD503233F, 0xD503245F, 0xD503241F) else 0  # paciasp, bti
        if len(words) < skip + 3:
            return None
        adrp, add, branch = words[skip:skip + 3]
        rd = adrp & 0x1F
        if adrp & 0x9F000000 != 0x90000000 or add & 0xFFC00000 != 0x91000000 \
                or add & 0x1F != rd or (add >> 5) & 0x1F != rd or branch & 0xFC000000 != 0x14000000:
            return None
        return _adrp_page(adrp, sym.vaddr + 4 * skip) + ((add >> 10) & 0xFFF)
    return None


def _x86_float(data: bytes, info: BinaryInfo, sym: Symbol) -> float | None:
    """``movss xmm0, [rip+d]`` (the constant), optionally stored through the out-parameter and read
    back (-O0 keeps the pointer in a stack slot), then ``ret``: the float32 constant. On arm64 the
    constant's bits built in a register (``mov``/``movk``), optionally stored through the
    out-parameter, moved to s0 (``fmov s0, w8``), then ``ret``."""
    if info.machine == "aarch64":
        return _aarch64_float(data, sym.offset)
    if info.machine != "x86_64":
        return None
    pos, end = sym.offset, min(sym.offset + 64, len(data))
    target: int | None = None
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
        elif b in (0x55, 0x5D):  # push/pop rbp
            pos += 1
        elif _at(data, pos, b"\x48\x89\xe5"):  # mov rbp, rsp
            pos += 3
        elif _at(data, pos, b"\x48\x89\x7d") or _at(data, pos, b"\x48\x8b\x45") or \
                _at(data, pos, b"\x48\x89\x4d"):
            pos += 4  # the out-parameter to and from its stack slot (rdi or rcx; rax)
        elif _at(data, pos, b"\xf3\x0f\x10\x05") and target is None:
            target = sym.vaddr + (pos - sym.offset) + 8 + struct.unpack_from("<i", data, pos + 4)[0]
            pos += 8
        elif data[pos:pos + 3] == b"\xf3\x0f\x11" and data[pos + 3] in (0x00, 0x01, 0x07):
            pos += 4  # movss [rax|rcx|rdi], xmm0: the same value through the out-parameter
        elif data[pos:pos + 4] == b"\xf3\x0f\x10\x00" and target is not None:
            pos += 4  # movss xmm0, [rax]: read back what was just stored
        elif b == 0xC3:
            break
        else:
            return None
    else:
        return None
    off = info.offset_of(target) if target is not None else None
    if off is None or off + 4 > len(data):
        return None
    return struct.unpack_from("<f", data, off)[0]


def _aarch64_float(data: bytes, off: int, *, max_ins: int = 8) -> float | None:
    regs: dict[int, int] = {}
    result: int | None = None
    for k in range(max_ins):
        if off + 4 * k + 4 > len(data):
            return None
        (ins,) = struct.unpack_from("<I", data, off + 4 * k)
        if ins & 0xFF800000 == 0x52800000:  # movz w, #imm16, lsl #(16 * hw)
            regs[ins & 0x1F] = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
        elif ins & 0xFF800000 == 0x72800000 and ins & 0x1F in regs:  # movk w
            shift = 16 * ((ins >> 21) & 3)
            regs[ins & 0x1F] = regs[ins & 0x1F] & ~(0xFFFF << shift) | ((ins >> 5) & 0xFFFF) << shift
        elif ins & 0xFFFFFFE0 == 0xB9000000:  # str w, [x0]: the out-parameter
            continue
        elif ins & 0xFFFFFC1F == 0x1E270000 and (ins >> 5) & 0x1F in regs:  # fmov s0, w
            result = regs[(ins >> 5) & 0x1F]
        elif ins == 0xD65F03C0:
            return struct.unpack("<f", struct.pack("<I", result))[0] if result is not None else None
        else:
            return None
    return None


def _at(data: bytes, pos: int, literal: bytes) -> bool:
    """``data.startswith(literal, pos)`` for bytes and memory maps alike."""
    return data[pos:pos + len(literal)] == literal


def _u16_version(data: bytes, info: BinaryInfo, sym: Symbol) -> str | None:
    """A function returning a pointer to ``{uint16 major, minor, micro, nano; const char *suffix}``
    (libusb's ``libusb_get_version()``): "major.minor.micro" and the suffix ("-rc1"; empty for
    a release). Without a readable suffix pointer nothing is proven: a release candidate would
    pass for the release."""
    kind, value = _returned(data, info, sym)
    if kind != "addr" or value is None:
        return None
    off = info.offset_of(value)
    if off is None or off + 8 > len(data):
        return None
    major, minor, micro = struct.unpack_from("<HHH", data, off)
    target = info.pointer_at(value + 8)
    at = None if target is None else info.offset_of(target)
    if at is None or at >= len(data):
        return None
    suffix = "" if data[at] == 0 else _cstr(data, at)
    if suffix is None:
        return None
    return f"{major}.{minor}.{micro}{suffix}"


def _str_at(data: bytes, info: BinaryInfo, vaddr: int | None) -> str | None:
    if vaddr is None:
        return None
    off = info.offset_of(vaddr)
    if off is None:
        return None
    return _cstr(data, off)


def cxx_string_object(data: bytes, info: BinaryInfo, vaddr: int | None) -> str | None:
    """The text of the libstdc++ ``std::string`` object at ``vaddr``, initialised in place at build
    time: a short string (15 characters at most) whose pointer at +0 points at its own buffer at
    +16 (or waits for its relocation), its length at +8 (QPDF::QPDFVersion() returns
    QPDF::qpdf_version, holding "12.4.2"). None for anything else."""
    off = info.offset_of(vaddr) if vaddr is not None else None
    if off is None or off + 32 > len(data):
        return None
    ptr, n = struct.unpack_from("<QQ", data, off)
    if ptr not in (0, vaddr + 16) or not 1 <= n <= 15:
        return None
    buf = bytes(data[off + 16:off + 17 + n])
    if buf[n] != 0 or not re.fullmatch(rb"[\x20-\x7e]+", buf[:n]):
        return None
    return buf[:n].decode("ascii")


_PRINTABLE = re.compile(rb"[\x20-\x7e]{1,200}\x00")


def _cstr(data: bytes, off: int) -> str | None:
    m = _PRINTABLE.match(data, off)
    if not m:
        return None
    return m.group()[:-1].decode("ascii")


_RECORD_TEXT = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?:-[A-Za-z0-9]+)?")


def _x86_version_record(data: bytes, info: BinaryInfo, sym: Symbol, *, max_bytes: int = 192) -> str | None:
    """x86-64: the version text of a static record whose address the function loads (``lea r64,
    [rip + d]``), when the record holds both a pointer to the text and, as a uint32, the same
    version packed as 0xMMmmpp: curl_version_info() fills and returns {age, LIBCURL_VERSION,
    LIBCURL_VERSION_NUM, host, ...}, nghttp2_version() returns {age, version_num, version_str,
    ...}. Only the record's first 24 bytes are looked at; a text and a number that do not agree
    give nothing, so a record of other data never yields a version."""
    if info.machine != "x86_64":
        return None
    end = sym.offset + max(sym.size, 16) if sym.size else sym.offset + max_bytes
    found = _x86_record_text(data, info, sym.offset, sym.vaddr, min(end, sym.offset + max_bytes))
    return _str_at(data, info, found) if found is not None else None


def _x86_record_text(data: bytes | mmap.mmap, info: BinaryInfo, off: int, vaddr: int, end: int,
                     fields: tuple[int, ...] = (0, 8, 16)) -> int | None:
    """The virtual address of the version text of the first record that code from file offset
    ``off`` (at ``vaddr``) to ``end`` loads by ``lea r64, [rip + d]``, whose pointer at one of
    ``fields`` is a version text and one of whose first six uint32 packs it as 0xMMmmpp."""
    for pos in range(off, min(end, len(data) - 7)):
        if data[pos] not in (0x48, 0x4C) or data[pos + 1] != 0x8D or data[pos + 2] & 0xC7 != 0x05:
            continue
        record = vaddr + (pos - off) + 7 + struct.unpack_from("<i", data, pos + 3)[0]
        at = info.offset_of(record)
        if at is None or at + 24 > len(data):
            continue
        numbers = set(struct.unpack_from("<6I", data, at))
        for field in fields:
            pointer = info.pointer_at(record + field)
            text = _str_at(data, info, pointer)
            m = _RECORD_TEXT.fullmatch(text) if text else None
            if m and (int(m[1]) << 16 | int(m[2]) << 8 | int(m[3])) in numbers and \
                    all(int(g) < 256 for g in m.groups()):
                return pointer
    return None


def _returned(data: bytes, info: BinaryInfo, sym: Symbol) -> tuple[str, int | None]:
    if info.machine in ("x86_64", "x86"):
        found = _x86(data, sym.offset, sym.vaddr, info.machine == "x86_64")
    elif info.machine == "aarch64":
        found = _aarch64(data, sym.offset, sym.vaddr)
        found = found if found[0] != "none" else _aarch64_paths(data, sym.offset, sym.vaddr)
    else:
        return "none", None
    if found[0] == "ptr":
        # the function returns a pointer it loads from data: the address that pointer holds (its
        # relocation or chained fixup read), a string for the callers to read like a lea's
        target = info.pointer_at(found[1]) if found[1] is not None else None
        return ("addr", target) if target else ("none", None)
    return found


# a format of numbers only, or after the library's name ("leptonica-%d.%d.%d": the function is the
# library's own, so its name adds nothing the symbol does not say)
_PRINTF_VERSION = re.compile(r"(?:[A-Za-z][A-Za-z0-9_]{0,30}[- ]v?|v)?(?:%[di]\.){1,3}%[di]")
_SYSV_ARGS = (7, 6, 2, 1, 8, 9)  # rdi, rsi, rdx, rcx, r8, r9
_WIN64_ARGS = (1, 2, 8, 9)  # rcx, rdx, r8, r9; the rest at [rsp + 0x20], [rsp + 0x28], ...


def _x86_printf_version(data: bytes, info: BinaryInfo, sym: Symbol, *, max_bytes: int = 96) -> str | None:
    """The version a function formats into its buffer before its first call: a format of numbers
    only ("%i.%i.%i", "%d.%d") loaded by ``lea`` into one argument register, the numbers loaded as
    immediates into the argument registers after it (System V order) and pushed for the rest
    (``cJSON_Version()``: ``snprintf(buf, sizeof buf, "%i.%i.%i", 1, 7, 18)``, compiled as
    __snprintf_chk with 1 in r9d and 7, 18 pushed). In a PE file the Microsoft x64 convention:
    rcx, rdx, r8, r9, then the stack slots from ``[rsp + 0x20]`` stored by ``mov dword [rsp + d],
    imm32`` (MSVC's cJSON_Version(): 7 in r9d, ``lea r8d, [r9 - 6]`` for 1, 19 at ``[rsp + 0x20]``).
    None when any number is not an immediate (or an immediate plus a displacement)."""
    imm: dict[int, int] = {}
    lea: dict[int, int] = {}
    pushes: list[int | None] = []
    slots: dict[int, int | None] = {}  # PE: [rsp + d] -> what was stored there
    pe = info.format == "pe"
    pos, end = sym.offset, min(sym.offset + max_bytes, len(data) - 16)
    while pos < end:
        b = data[pos]
        rex = b if 0x40 <= b <= 0x4F else 0
        at = pos + (1 if rex else 0)
        op, modrm = data[at], data[at + 1]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4  # endbr64
        elif 0xB8 <= op <= 0xBF and not rex & 8:
            reg = op - 0xB8 + (8 if rex & 1 else 0)  # mov r32, imm32
            imm[reg] = struct.unpack_from("<i", data, at + 1)[0]
            lea.pop(reg, None)
            pos = at + 5
        elif op in (0x31, 0x33) and modrm >= 0xC0 and (modrm >> 3) & 7 == modrm & 7 and \
                bool(rex & 4) == bool(rex & 1):
            reg = (modrm & 7) + (8 if rex & 1 else 0)  # xor r32, r32
            imm[reg] = 0
            lea.pop(reg, None)
            pos = at + 2
        elif op == 0x8D and rex & 8 and modrm & 0xC7 == 0x05:
            reg = ((modrm >> 3) & 7) + (8 if rex & 4 else 0)  # lea r64, [rip+d32]
            nxt = at + 6
            lea[reg] = sym.vaddr + (nxt - sym.offset) + struct.unpack_from("<i", data, at + 2)[0]
            imm.pop(reg, None)
            pos = nxt
        elif op == 0x89 and modrm >= 0xC0:
            src = ((modrm >> 3) & 7) + (8 if rex & 4 else 0)  # mov r, r: what the source held
            dst = (modrm & 7) + (8 if rex & 1 else 0)
            imm.pop(dst, None)
            lea.pop(dst, None)
            if src in imm:
                imm[dst] = imm[src]
            if src in lea and rex & 8:
                lea[dst] = lea[src]
            pos = at + 2
        elif pe and op == 0x8D and modrm >> 6 == 1 and modrm & 7 != 4:
            base = (modrm & 7) + (8 if rex & 1 else 0)  # lea r, [base + d8]
            reg = ((modrm >> 3) & 7) + (8 if rex & 4 else 0)
            lea.pop(reg, None)
            if base in imm:
                val = imm[base] + struct.unpack_from("<b", data, at + 2)[0]
                imm[reg] = val if rex & 8 else val & 0xFFFFFFFF
            else:
                imm.pop(reg, None)
            pos = at + 3
        elif pe and op == 0xC7 and modrm in (0x44, 0x84) and data[at + 2] == 0x24:
            # mov dword|qword [rsp + d8|d32], imm32: an argument past the fourth
            wide = modrm == 0x84
            d = struct.unpack_from("<i" if wide else "<b", data, at + 3)[0]
            slots[d] = struct.unpack_from("<i", data, at + (7 if wide else 4))[0]
            pos = at + (11 if wide else 8)
        elif op == 0x6A and not rex:
            pushes.append(struct.unpack_from("<b", data, at + 1)[0])  # push imm8
            pos = at + 2
        elif op == 0x68 and not rex:
            pushes.append(struct.unpack_from("<i", data, at + 1)[0])  # push imm32
            pos = at + 5
        elif 0x50 <= op <= 0x57 and rex in (0, 0x41):
            pushes.append(None)  # push r64: a saved register, or an argument not known here
            pos = at + 1
        elif rex & 8 and op == 0x83 and modrm == 0xEC:
            pushes.clear()  # sub rsp, imm8: what was pushed before is no argument of the call
            slots.clear()
            pos = at + 3
        elif rex & 8 and op == 0x81 and modrm == 0xEC:
            pushes.clear()
            slots.clear()
            pos = at + 6
        elif op == 0xE8 and not rex:
            break  # the call that formats
        else:
            return None
    else:
        return None
    args = _WIN64_ARGS if pe else _SYSV_ARGS
    for k, reg in enumerate(args):
        if reg not in lea:
            continue
        fmt = _str_at(data, info, lea[reg])
        if fmt is None or not _PRINTF_VERSION.fullmatch(fmt):
            continue
        need = fmt.count("%")
        nums: list[int | None] = [imm.get(r) for r in args[k + 1:]]
        if pe:
            nums += [slots.get(0x20 + 8 * i) for i in range(need)]
        else:
            nums += list(reversed(pushes))
        nums = nums[:need]
        if len(nums) < need or not all(isinstance(n, int) and 0 <= n < 100000 for n in nums):
            return None
        return ".".join(str(n) for n in nums)
    return None


def _first_address(data: bytes, info: BinaryInfo, sym: Symbol, *, max_ins: int = 8) -> int | None:
    """The first address a function computes in its first few instructions: x86-64 ``lea r64,
    [rip + d]`` (after nothing but register moves, zeroing, compares and the short jump of a bounds
    check, on the straight path); arm64 ``adrp``/``add`` into one register."""
    off = sym.offset
    if info.machine == "x86_64":
        pos = off + (4 if _at(data, off, b"\xf3\x0f\x1e\xfa") else 0)
        for _ in range(max_ins):
            if pos + 7 > len(data):
                return None
            b = data[pos]
            if b in (0x48, 0x4C) and data[pos + 1] == 0x8D and data[pos + 2] & 0xC7 == 0x05:
                return sym.vaddr + (pos - off) + 7 + struct.unpack_from("<i", data, pos + 3)[0]
            if b in (0x31, 0x33, 0x89, 0x8B) and data[pos + 1] >= 0xC0:  # xor/mov r32, r32
                pos += 2
            elif b == 0x83 and data[pos + 1] & 0xF8 == 0xF8:  # cmp r32, imm8
                pos += 3
            elif 0x70 <= b <= 0x7F:  # a bounds check's short jump: the straight path goes on
                pos += 2
            else:
                return None
        return None
    if info.machine == "aarch64":
        regs: dict[int, tuple[str, int]] = {}
        for i in range(max_ins):
            pos = off + 4 * i
            if pos + 4 > len(data):
                return None
            (ins,) = struct.unpack_from("<I", data, pos)
            pc = sym.vaddr + 4 * i
            rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
            if ins & 0xFF800000 == 0x91000000 and regs.get(rn, ("", 0))[0] == "addr":  # add xd, xn, #imm
                imm = ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)
                return regs[rn][1] + imm
            if ins & 0x9F000000 == 0x90000000:  # adrp
                regs[rd] = ("addr", _adrp_page(ins, pc))
            elif ins & 0xFFFFF01F == 0xD503201F or ins & 0x7F20001F == 0x6B00001F or \
                    ins & 0x7F80001F == 0x7100001F:  # hints; cmp reg / cmp imm
                pass
            else:
                return None
        return None
    return None


def _aarch64_tagged_step(ins: int, pc: int, regs: dict[int, tuple[str, int]]) -> bool:
    """Follow one arm64 instruction that sets a register to a constant, kept tagged as ``("int",
    value)`` or ``("addr", address)``: ``movz``/``movn``, ``movk`` (onto a known int only), ``mov
    rd, rm`` and ``adrp``/``adr``. False for any other instruction; a value that cannot be known
    is forgotten."""
    rd = ins & 0x1F
    if ins & 0x7F800000 in (0x52800000, 0x12800000):  # movz / movn
        imm = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
        val = imm if ins & 0x40000000 else ~imm
        regs[rd] = ("int", val & (_MASK64 if ins >> 31 else 0xFFFFFFFF))
    elif ins & 0x7F800000 == 0x72800000:  # movk
        old, shift = regs.get(rd), 16 * ((ins >> 21) & 3)
        if old is None or old[0] != "int":
            regs.pop(rd, None)
        else:
            regs[rd] = ("int", (old[1] & ~(0xFFFF << shift)) | (((ins >> 5) & 0xFFFF) << shift))
    elif ins & 0x7FE0FFE0 == 0x2A0003E0:  # mov rd, rm
        rm = (ins >> 16) & 0x1F
        val = ("int", 0) if rm == 31 else regs.get(rm)
        if val is None:
            regs.pop(rd, None)
        else:
            regs[rd] = val
    elif ins & 0x9F000000 in (0x90000000, 0x10000000):  # adrp / adr
        imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
        if imm & (1 << 20):
            imm -= 1 << 21
        regs[rd] = ("addr", (pc & ~0xFFF) + (imm << 12)) if ins >> 31 else ("addr", pc + imm)
    else:
        return False
    return True


def filled_struct_returned(data: bytes, info: BinaryInfo, sym: Symbol) -> tuple[int, int, int] | None:
    """The three bytes of a static struct that a function fills with constants and returns the
    address of: the SDL satellite libraries' ``const SDL_version *IMG_Linked_Version(void)``
    (``SDL_IMAGE_VERSION(&linked_version); return &linked_version;``), compiled to byte/halfword
    stores of immediates. Straight-line code only (arm64, x86-64); the three bytes from the
    returned address must all have been stored, and nothing else. Anything else: None."""
    if sym.offset < 0 or sym.offset >= len(data):
        return None
    mem: dict[int, int] = {}

    def put(addr: int, value: int, size: int) -> None:
        for i in range(size):
            mem[addr + i] = (value >> (8 * i)) & 0xFF

    returned: int | None = None
    off, vaddr = sym.offset, sym.vaddr
    if info.machine == "aarch64":
        regs: dict[int, tuple[str, int]] = {}
        pos = off
        for _ in range(16):
            if pos + 4 > len(data):
                return None
            (ins,) = struct.unpack_from("<I", data, pos)
            pc = vaddr + (pos - off)
            pos += 4
            rt, rn = ins & 0x1F, (ins >> 5) & 0x1F
            if ins & 0xFFFFF01F == 0xD503201F:  # hints
                continue
            if ins in (0xD65F03C0, 0xD65F0BFF):  # ret
                got = regs.get(0)
                returned = got[1] if got is not None and got[0] == "addr" else None
                break
            if _aarch64_tagged_step(ins, pc, regs):
                continue
            if ins & 0xFF800000 == 0x91000000:  # add xd, xn, #imm
                base = regs.get(rn)
                imm = ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)
                if base is None or base[0] != "addr":
                    return None
                regs[rt] = ("addr", base[1] + imm)
                continue
            size = {0x39000000: 1, 0x79000000: 2, 0xB9000000: 4}.get(ins & 0xFFC00000)
            if size is None:
                return None  # strb / strh / str w, unsigned offset: nothing else modelled
            base = regs.get(rn)
            val = ("int", 0) if rt == 31 else regs.get(rt)
            if base is None or base[0] != "addr" or val is None or val[0] != "int":
                return None
            put(base[1] + ((ins >> 10) & 0xFFF) * size, val[1], size)
    elif info.machine == "x86_64":
        pos, rax, eax = off, None, None
        for _ in range(12):
            if pos + 1 > len(data):
                return None
            pc = vaddr + (pos - off)
            if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
                pos += 4
            elif _at(data, pos, b"\x66\xc7\x05"):  # mov word [rip+d], imm16
                disp, imm = struct.unpack_from("<iH", data, pos + 3)
                put(pc + 9 + disp, imm, 2)
                pos += 9
            elif _at(data, pos, b"\xc6\x05"):  # mov byte [rip+d], imm8
                disp, imm = struct.unpack_from("<iB", data, pos + 2)
                put(pc + 7 + disp, imm, 1)
                pos += 7
            elif _at(data, pos, b"\xc7\x05"):  # mov dword [rip+d], imm32
                disp, imm = struct.unpack_from("<iI", data, pos + 2)
                put(pc + 10 + disp, imm, 4)
                pos += 10
            elif data[pos] == 0xB8:  # mov eax, imm32
                eax = struct.unpack_from("<I", data, pos + 1)[0]
                pos += 5
            elif eax is not None and _at(data, pos, b"\x66\x89\x05"):  # mov word [rip+d], ax
                put(pc + 7 + struct.unpack_from("<i", data, pos + 3)[0], eax, 2)
                pos += 7
            elif _at(data, pos, b"\x48\x8d\x05"):  # lea rax, [rip+d]
                rax = pc + 7 + struct.unpack_from("<i", data, pos + 3)[0]
                eax = None
                pos += 7
            elif rax is not None and _at(data, pos, b"\x66\xc7\x00"):  # mov word [rax], imm16
                put(rax, struct.unpack_from("<H", data, pos + 3)[0], 2)
                pos += 5
            elif rax is not None and _at(data, pos, b"\xc6\x40"):  # mov byte [rax+d8], imm8
                put(rax + struct.unpack_from("<b", data, pos + 2)[0], data[pos + 3], 1)
                pos += 4
            elif data[pos] == 0xC3:
                returned = rax
                break
            else:
                return None
    if returned is None or sorted(mem) != [returned, returned + 1, returned + 2]:
        return None
    return mem[returned], mem[returned + 1], mem[returned + 2]


def _aarch64_apple_printf_version(data: bytes, info: BinaryInfo, sym: Symbol, *, max_ins: int = 32
                                  ) -> str | None:
    """The version an arm64 function formats from immediates before its first call, under Apple's
    arm64 convention, where every variadic argument goes on the stack in 8-byte slots from ``[sp]``
    (cJSON_Version() in a macOS dylib: ``mov w8, #19; str x8, [sp, #16]; mov w8, #7; mov w9, #1;
    stp x9, x8, [sp]``, the format "%i.%i.%i" built by ``adrp``/``add`` in x3 for
    __sprintf_chk). The format is the one address among x0-x7 that holds a format of numbers only.
    Straight-line code only: None at any instruction not modelled here, or when a number is not an
    immediate."""
    regs: dict[int, tuple[str, int]] = {}
    slots: dict[int, int | None] = {}
    calls = 0
    pos = sym.offset
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            return None
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = sym.vaddr + (pos - sym.offset)
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0xFFFFF01F == 0xD503201F:  # hints: nop, paciasp, bti
            pass
        elif ins & 0xFC000000 == 0x94000000:  # bl: the call that formats, when it is passed a format
            if calls or _format_in(data, info, regs) is not None:
                break
            # a call before it (Leptonica's calloc for the text): the argument and scratch registers
            # and the outgoing slots are the callee's; x19-x28 keep their values across it
            calls += 1
            for r in range(19):
                regs.pop(r, None)
            slots.clear()
        elif _aarch64_tagged_step(ins, pc, regs):  # movz/movn/movk, mov, adrp/adr
            pass
        elif ins & 0xFF800000 in (0x91000000, 0xD1000000):  # add / sub xd, xn, #imm
            imm = ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)
            base = regs.get(rn) if rn != 31 else None
            if rd == 31:
                slots.clear()  # sp moves: the slots stored so far are not the call's
            elif base is not None and base[0] == "addr" and ins >> 30 & 1 == 0:
                regs[rd] = ("addr", base[1] + imm)
            else:
                regs.pop(rd, None)
        elif ins & 0xFFC00000 == 0xF9000000 and rn == 31:  # str xt, [sp, #imm]
            val = ("int", 0) if rd == 31 else regs.get(rd)
            slots[((ins >> 10) & 0xFFF) * 8] = val[1] if val and val[0] == "int" else None
        elif ins & 0xFFC00000 == 0xA9000000 and rn == 31:  # stp xt1, xt2, [sp, #imm]
            imm7 = (ins >> 15) & 0x7F
            d = (imm7 - 128 if imm7 & 0x40 else imm7) * 8
            for k, rt in enumerate((rd, (ins >> 10) & 0x1F)):
                val = ("int", 0) if rt == 31 else regs.get(rt)
                slots[d + 8 * k] = val[1] if val and val[0] == "int" else None
        elif ins & 0xFFC00000 == 0xA9800000 and rn == 31:  # stp ..., [sp, #-imm]!: sp moves
            slots.clear()
        else:
            return None
        pos += 4
    else:
        return None
    fmt = _format_in(data, info, regs)
    if fmt is None:
        return None
    nums = [slots.get(8 * i) for i in range(fmt.count("%"))]
    if not all(isinstance(n, int) and 0 <= n < 100000 for n in nums):
        return None
    return ".".join(str(n) for n in nums)


def _format_in(data: bytes, info: BinaryInfo, regs: dict[int, tuple[str, int]]) -> str | None:
    """The version format (``_PRINTF_VERSION``) that one of x0-x7 points to, if any."""
    for reg in range(8):
        val = regs.get(reg)
        if val is None or val[0] != "addr":
            continue
        fmt = _str_at(data, info, val[1])
        if fmt is not None and _PRINTF_VERSION.fullmatch(fmt):
            return fmt
    return None


def x86_u16_getter(data: bytes, off: int, *, max_bytes: int = 40) -> list[int] | None:
    """The field offsets, in order, of three 16-bit fields a getter returns packed in rax: one
    32-bit load ``mov eax|edx, [rdi+d8]`` (the first two, low word first) and one ``movzx r32,
    word [rdi+d8]`` shifted into the upper half (``shl r64, 32``) before ``ret``. None for any
    other code."""
    pos, end = off, min(off + max_bytes, len(data) - 8)
    dword = word = None
    shifted = False
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4  # endbr64
        elif b == 0x8B and data[pos + 1] in (0x47, 0x57):  # mov eax|edx, [rdi+d8]
            if dword is not None:
                return None
            dword = struct.unpack_from("<b", data, pos + 2)[0]
            pos += 3
        elif _at(data, pos, b"\x0f\xb7") and data[pos + 2] in (0x47, 0x57):  # movzx eax|edx, word [rdi+d8]
            if word is not None:
                return None
            word = struct.unpack_from("<b", data, pos + 3)[0]
            pos += 4
        elif b == 0x48 and data[pos + 1] == 0xC1 and data[pos + 2] in (0xE0, 0xE2) and data[pos + 3] == 0x20:
            shifted = True  # shl rax|rdx, 32
            pos += 4
        elif b == 0x48 and data[pos + 1] in (0x09, 0x89) and data[pos + 2] in (0xD0, 0xC2):
            pos += 3  # or|mov rax, rdx / rdx, rax
        elif b == 0xC3:
            if dword is None or word is None or not shifted or word != dword + 4:
                return None
            return [dword, dword + 2, word]
        else:
            return None
    return None


def x86_u16_stores(data: bytes, off: int, *, max_bytes: int = 96) -> dict[int, int]:
    """The 16-bit constants a constructor stores into its object (``rdi``) before its first call
    or before ``rdi`` is given another value: {field offset: value}, from ``movabs r64, imm64``
    stored whole (``mov [rdi+d8], r64``: four fields), ``mov dword [rdi+d8], imm32`` (two),
    ``mov r32, imm32`` stored as a word (``mov [rdi+d8], r16``) and ``mov word [rdi+d8], imm16``."""
    out: dict[int, int] = {}
    wide: dict[int, int] = {}  # register -> its constant
    pos, end = off, min(off + max_bytes, len(data) - 12)
    while pos < end:
        b = data[pos]
        rex = b if 0x40 <= b <= 0x4F else 0
        at = pos + (1 if rex else 0)
        op, modrm = data[at], data[at + 1]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
        elif rex & 8 and 0xB8 <= op <= 0xBF:  # movabs r64, imm64
            wide[(op - 0xB8) + (8 if rex & 1 else 0)] = struct.unpack_from("<Q", data, at + 1)[0]
            pos = at + 9
        elif rex in (0, 0x41) and 0xB8 <= op <= 0xBF:  # mov r32, imm32
            wide[(op - 0xB8) + (8 if rex & 1 else 0)] = struct.unpack_from("<I", data, at + 1)[0]
            pos = at + 5
        elif rex & 8 and op == 0x89 and modrm & 0xC7 == 0x47:  # mov [rdi+d8], r64
            reg = ((modrm >> 3) & 7) + (8 if rex & 4 else 0)
            d8 = struct.unpack_from("<b", data, at + 2)[0]
            if reg in wide:
                for k in range(4):
                    out[d8 + 2 * k] = wide[reg] >> (16 * k) & 0xFFFF
            pos = at + 3
        elif not rex and op == 0xC7 and modrm == 0x47:  # mov dword [rdi+d8], imm32
            d8 = struct.unpack_from("<b", data, at + 2)[0]
            value = struct.unpack_from("<I", data, at + 3)[0]
            out[d8], out[d8 + 2] = value & 0xFFFF, value >> 16
            pos = at + 7
        elif b == 0x66 and data[pos + 1] == 0x89 and data[pos + 2] & 0xC7 == 0x47:  # mov [rdi+d8], r16
            reg = (data[pos + 2] >> 3) & 7
            if reg in wide:
                out[struct.unpack_from("<b", data, pos + 3)[0]] = wide[reg] & 0xFFFF
            pos += 4
        elif b == 0x66 and data[pos + 1] == 0xC7 and data[pos + 2] == 0x47:  # mov word [rdi+d8], imm16
            out[struct.unpack_from("<b", data, pos + 3)[0]] = struct.unpack_from("<H", data, pos + 4)[0]
            pos += 6
        elif op == 0xE8 or (rex & 8 and op in (0x89, 0x8B) and modrm >= 0xC0 and
                            ((modrm & 7) == 7 if op == 0x89 else (modrm >> 3) & 7 == 7) and
                            not (rex & (1 if op == 0x89 else 4))):
            break  # a call, or rdi given another value: its stores are no longer the object's
        else:
            pos += _x86_setup_length(data, pos) or 1
    return out


def _x86_frame_store(data: bytes, pos: int, *, keep: int) -> int | None:
    """The length of ``mov [rsp+disp8|disp32], r64`` at ``pos`` (REX.W, rax..rdi or r8..r15),
    None when it is something else or stores register ``keep`` (the argument being followed:
    rdi = 7, rsi = 6), whose value a later compare must still find in its register."""
    if data[pos] not in (0x48, 0x4C) or data[pos + 1] != 0x89 or data[pos + 3] != 0x24:
        return None
    modrm = data[pos + 2]
    if data[pos] == 0x48 and (modrm >> 3) & 7 == keep:
        return None
    if modrm & 0xC7 == 0x44:
        return 5  # disp8
    if modrm & 0xC7 == 0x84:
        return 8  # disp32
    return None


def _x86_cmp_arg1(data: bytes, off: int, *, win64: bool = False) -> int | None:
    """The constant a function requires its first argument to equal, compared before anything
    else: ``if (compiled_with != MY_VERSION) fail`` compiled as ``cmp edi, imm32; jne|je`` after
    a plain prologue (protobuf 22+'s ``VerifyVersion(int, const char*)``, whose constant is
    GOOGLE_PROTOBUF_VERSION). Nothing but pushes, stack adjustments, spills of other
    arguments and the stack protector's canary (loaded from fs:0x28, stored in the frame) may
    come first. ``win64``: the first argument is ecx (MSVC's ``cmp ecx, imm32; je``)."""
    cmp = b"\x81\xf9" if win64 else b"\x81\xff"
    pos, end = off, min(off + 64, len(data) - 12)
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4  # endbr64
        elif 0x50 <= b <= 0x57:
            pos += 1  # push r64
        elif b == 0x41 and 0x50 <= data[pos + 1] <= 0x57:
            pos += 2  # push r8..r15
        elif _at(data, pos, b"\x48\x83\xec"):
            pos += 4  # sub rsp, imm8
        elif _at(data, pos, b"\x48\x81\xec"):
            pos += 7  # sub rsp, imm32
        elif not win64 and (n := _x86_frame_store(data, pos, keep=7)) is not None:
            pos += n  # mov [rsp+disp], r64 (not rdi): a spill, or the stack protector's canary
        elif _at(data, pos, b"\x64\x48\x8b\x04\x25\x28\x00\x00\x00"):
            pos += 9  # mov rax, fs:0x28 (the stack protector's canary)
        elif _at(data, pos, b"\x31\xc0"):
            pos += 2  # xor eax, eax
        elif _at(data, pos, cmp) and (data[pos + 6] in (0x74, 0x75) or
                                              data[pos + 6:pos + 8] in (b"\x0f\x84", b"\x0f\x85")):
            return struct.unpack_from("<i", data, pos + 2)[0]  # cmp edi, imm32; jne|je
        else:
            return None
    return None


def _x86_cmp_arg2(data: bytes, off: int) -> int | None:
    """The constant a function first compares its second argument with, after a plain prologue:
    ``if (MY_VERSION < required) fail`` compiled as ``cmp esi, imm32; jg`` (protobuf's
    ``VerifyVersion(int, int, const char*)``, whose constant is GOOGLE_PROTOBUF_VERSION)."""
    pos, end = off, min(off + 96, len(data) - 12)
    slot: int | None = None  # -O0 code: the frame slot the second argument was spilled to
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4  # endbr64
        elif _at(data, pos, b"\x48\x89\xe5"):
            pos += 3  # mov rbp, rsp
        elif b == 0x89 and data[pos + 1] in (0xBD, 0xB5, 0x95):  # mov [rbp+d32], edi|esi|edx
            if data[pos + 1] == 0xB5:
                slot = struct.unpack_from("<i", data, pos + 2)[0]
            pos += 6
        elif b == 0x89 and data[pos + 1] in (0x7D, 0x75, 0x55):  # mov [rbp+d8], edi|esi|edx
            if data[pos + 1] == 0x75:
                slot = struct.unpack_from("<b", data, pos + 2)[0]
            pos += 3
        elif b == 0x48 and data[pos + 1] == 0x89 and data[pos + 2] in (0x95, 0x85):
            pos += 7  # mov [rbp+d32], rdx|rax
        elif b == 0x48 and data[pos + 1] == 0x89 and data[pos + 2] in (0x55, 0x45):
            pos += 4  # mov [rbp+d8], rdx|rax
        elif _at(data, pos, b"\x64\x48\x8b\x04\x25\x28\x00\x00\x00"):
            pos += 9  # mov rax, fs:0x28 (the stack protector's canary)
        elif _at(data, pos, b"\x31\xc0"):
            pos += 2  # xor eax, eax
        elif slot is not None and _at(data, pos, b"\x81\xbd") and \
                struct.unpack_from("<i", data, pos + 2)[0] == slot and \
                (data[pos + 10] in (0x7E, 0x7F) or data[pos + 10:pos + 12] in (b"\x0f\x8e", b"\x0f\x8f")):
            return struct.unpack_from("<i", data, pos + 6)[0]  # cmp dword [rbp+slot], imm32; jle|jg
        elif slot is not None and _at(data, pos, b"\x81\x7d") and \
                struct.unpack_from("<b", data, pos + 2)[0] == slot and \
                (data[pos + 7] in (0x7E, 0x7F) or data[pos + 7:pos + 9] in (b"\x0f\x8e", b"\x0f\x8f")):
            return struct.unpack_from("<i", data, pos + 3)[0]  # cmp dword [rbp+slot8], imm32; jle|jg
        elif 0x50 <= b <= 0x57:
            pos += 1  # push r64
        elif b == 0x41 and 0x50 <= data[pos + 1] <= 0x57:
            pos += 2  # push r8..r15
        elif b in (0x41, 0x44, 0x45, 0x48, 0x49, 0x4C, 0x4D) and data[pos + 1] in (0x89, 0x8B) and \
                data[pos + 2] >= 0xC0 and 6 not in _modrm(data[pos + 2], b)[1:]:
            pos += 3  # mov r64, r64 or a REX mov r32, r32 (mov r14, rdx; mov r12d, edi), not touching rsi
        elif b in (0x89, 0x8B) and data[pos + 1] >= 0xC0 and (data[pos + 1] & 7) != 6 and \
                (data[pos + 1] >> 3) & 7 != 6:
            pos += 2  # mov r32, r32 (not touching esi)
        elif _at(data, pos, b"\x48\x81\xec"):
            pos += 7  # sub rsp, imm32
        elif _at(data, pos, b"\x48\x83\xec"):
            pos += 4  # sub rsp, imm8
        elif (n := _x86_frame_store(data, pos, keep=6)) is not None:
            pos += n  # mov [rsp+disp], r64 (not rsi): the stack protector's canary stored in the frame
        elif _at(data, pos, b"\x81\xfe") and (data[pos + 6] == 0x7F or _at(data, pos + 6, b"\x0f\x8f")):
            return struct.unpack_from("<i", data, pos + 2)[0]  # cmp esi, imm32; jg
        else:
            return None
    return None


def _bitmask(n: int, imms: int, immr: int, size: int) -> int | None:
    """An arm64 logical instruction's immediate (N, imms, immr: the architecture's DecodeBitMasks):
    a run of ones rotated within an element, the element repeated to ``size`` bits."""
    length = ((n << 6) | (~imms & 0x3F)).bit_length() - 1
    if length < 1:
        return None
    esize = 1 << length
    levels = esize - 1
    ones, rot = imms & levels, immr & levels
    if ones == levels:
        return None
    elem = (1 << (ones + 1)) - 1
    elem = ((elem >> rot) | (elem << (esize - rot))) & ((1 << esize) - 1)
    return sum(elem << (i * esize) for i in range(size // esize))


def _aarch64_cmp_arg2(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_ins: int = 40,
                      arg: int = 1) -> int | None:
    """The arm64 form of ``_x86_cmp_arg2``: the constant the function first compares its second
    argument (w1) with, ``cmp w1, wM; b.cond``, wM built from immediates before it
    (``mov w25, #lo; movk w25, #hi, lsl #16; add w8, w25, #12``: protobuf 3.21.12's 3021012).
    ``arg`` = 0 reads the first argument instead, compared for equality the way clang writes a
    large constant: ``sub w8, w0, #hi, lsl #12; cmp w8, #lo; b.ne`` (protobuf 6.33.1's
    ``VerifyVersion(int, const char*)``: 6029312 + 3689). Only instructions that leave the
    argument alone may come first (a prologue, spills, loads, moves between other registers,
    constants); anything else ends the search."""
    regs: dict[int, int] = {}
    addrs: dict[int, int] = {}
    less: dict[int, int] = {}  # registers holding the argument less a constant
    pos, end = off, min(off + 4 * max_ins, len(data) - 4)
    while pos < end:
        (ins,) = struct.unpack_from("<I", data, pos)
        (nxt,) = struct.unpack_from("<I", data, pos + 4)
        branch = nxt & 0xFF000010 == 0x54000000  # b.cond
        pc = vaddr + (pos - off)
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        imm12 = ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)
        if ins & 0xFFE0FC1F == 0x6B00001F and rn == arg:  # cmp w<arg>, wM
            value = regs.get((ins >> 16) & 0x1F)
            return value if branch and value is not None else None
        if ins & 0xFF80001F == 0x7100001F and rn in less:  # cmp wN, #imm (wN = w<arg> - constant)
            return (less[rn] + imm12) & 0xFFFFFFFF if branch else None
        if ins & 0xFF800000 == 0x51000000 and rn == arg and rd != arg:  # sub wd, w<arg>, #imm
            less[rd] = imm12
            regs.pop(rd, None)
            addrs.pop(rd, None)
        elif ins & 0x3A000000 == 0x28000000:  # stp / ldp (a load pair must not touch the argument)
            if ins & (1 << 22) and arg in (rd, (ins >> 10) & 0x1F):
                return None
        elif ins & 0xFF800000 in (0xD1000000, 0x91000000) and rd in (29, 31) and rn in (29, 31):
            pass  # sub sp, sp, #imm / add x29, sp, #imm
        elif ins & 0xFFE0FFE0 == 0xAA0003E0 or ins & 0xFFE0FFE0 == 0x2A0003E0:  # mov xd|wd, xm|wm
            if rd == arg:
                return None
            regs.pop(rd, None)
            addrs.pop(rd, None)
            less.pop(rd, None)
        elif ins & 0xFFC00000 in (0xF9400000, 0xB9400000) or ins & 0xFFE00C00 in (0xF8400000, 0xB8400000):
            if rd == arg:
                return None  # ldr / ldur into the argument
            regs.pop(rd, None)
            addrs.pop(rd, None)
            less.pop(rd, None)
        elif ins & 0xFFC00000 in (0xF9000000, 0xB9000000) or ins & 0xFFE00C00 in (0xF8000000, 0xB8000000):
            pass  # str / stur
        elif ins & 0xFF800000 == 0x11000000 and rd != arg:  # add wd, wn, #imm
            if rn in regs:
                regs[rd] = (regs[rn] + imm12) & 0xFFFFFFFF
            else:
                regs.pop(rd, None)
            addrs.pop(rd, None)
            less.pop(rd, None)
        elif ins & 0xFFC00000 == 0x32000000 and rd != arg and rn != 31:  # orr wd, wn, #bitmask
            # (3021000 | 7: protobuf 3.21.7's constant, built by clang from 3.21.0's)
            mask = _bitmask(0, (ins >> 10) & 0x3F, (ins >> 16) & 0x3F, 32)
            if rn in regs and mask is not None:
                regs[rd] = regs[rn] | mask
            else:
                regs.pop(rd, None)
            addrs.pop(rd, None)
            less.pop(rd, None)
        elif rd == arg or not _constant_step(ins, pc, data, info, regs, addrs):
            return None
        else:
            less.pop(rd, None)
        pos += 4
    return None


def _jcc_length(data: bytes | mmap.mmap, pos: int, cc: int) -> int:
    """The length of a conditional jump with condition ``cc`` (4: je, 5: jne) at ``pos``: 2 (rel8),
    6 (rel32), or 0 for anything else."""
    if data[pos] == 0x70 | cc:
        return 2
    return 6 if data[pos] == 0x0F and data[pos + 1] == 0x80 | cc else 0


def _x86_main_thread_global(data: bytes, off: int, vaddr: int) -> int | None:
    """``sub rsp, N; call <is main thread>; mov r32, eax; lea rax, [rip+d]; test r32, r32; je``, or
    ``...; call <is main thread>; test eax, eax; je <other>; lea rax, [rip+d]``: the address rax
    holds on the main thread's path (libxml2's accessors of its globals); None for any other code."""
    pos = off
    if _at(data, pos, b"\x48\x83\xec"):
        pos += 4
    if pos + 18 > len(data) or data[pos] != 0xE8:
        return None
    pos += 5
    if data[pos] == 0x85 and data[pos + 1] == 0xC0:
        # or tested at once: test eax, eax; je <other threads>; lea rax, [rip+d] (the main thread's)
        pos += 2
        jump = _jcc_length(data, pos, 4)
        if not jump or not _at(data, pos + jump, b"\x48\x8d\x05"):
            return None
        pos += jump
        return vaddr + (pos + 7 - off) + struct.unpack_from("<i", data, pos + 3)[0]
    if data[pos] != 0x89 or data[pos + 1] & 0xF8 != 0xC0 or data[pos + 1] == 0xC0:
        return None  # mov r32, eax (the answer kept in another register)
    reg = data[pos + 1] & 7
    pos += 2
    if not _at(data, pos, b"\x48\x8d\x05"):
        return None
    pos += 7
    addr = vaddr + (pos - off) + struct.unpack_from("<i", data, pos - 4)[0]
    if data[pos] != 0x85 or data[pos + 1] != 0xC0 | reg << 3 | reg:
        return None  # test r32, r32
    pos += 2
    return addr if _jcc_length(data, pos, 4) else None


_SAVED = (0x53, 0x56, 0x57)  # push rbx, push rsi, push rdi (pop: the opcode + 8)


def _x86(data: bytes, off: int, vaddr: int, is64: bool, hops: int = 2) -> tuple[str, int | None]:
    """Follow a prologue-free or frame-pointer function to its ``ret``; track only eax/rax. The
    stack protector's canary (stored in the frame, checked before ``ret``) is stepped over."""
    pos, end = off, min(off + 72, len(data))
    value: tuple[str, int | None] = ("none", None)
    pushed: int | None = None  # the callee-saved register pushed (push opcode), until its pop
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa") or _at(data, pos, b"\xf3\x0f\x1e\xfb"):
            pos += 4  # endbr64 / endbr32
        elif b == 0xE9 and hops and value == ("none", None) and pos + 5 <= end:
            # the entry is a jump thunk (MSVC's incremental linking): read the function it jumps to
            disp = struct.unpack_from("<i", data, pos + 1)[0]
            target = pos + 5 + disp
            if not 0 <= target < len(data):
                return "none", None
            return _x86(data, target, vaddr + (target - off), is64, hops - 1)
        elif b == 0x55:  # push rbp
            pos += 1
        elif is64 and pushed is None and pos + 2 < end and (saved := _saved_register(data, pos)):
            # push rbx/rsi/rdi (MSVC's debug builds open even a one-line function with
            # "rex push rdi" and close it with "pop rdi"): the register is kept, not returned
            pushed = data[pos + saved - 1]
            pos += saved
        elif pushed is not None and b == pushed + 8:  # its pop
            pushed = None
            pos += 1
        elif _at(data, pos, b"\x48\x89\xe5") or _at(data, pos, b"\x89\xe5"):  # mov rbp, rsp
            pos += 3 if b == 0x48 else 2
        elif b == 0x5D or b == 0xC9:  # pop rbp
            pos += 1
        elif b == 0xB8 and _at(data, pos + 1, b"\x00\x00\x00\x00") and data[pos + 5] == 0xEB:
            # mov eax, 0; jmp short: the NULL alternative of an "at least this version?" check,
            # jumped past the address returned (nghttp2_version(least) built -O0)
            pos += 7
        elif b == 0xB8:  # mov eax, imm32
            value = ("int", struct.unpack_from("<I", data, pos + 1)[0])
            pos += 5
        elif _at(data, pos, b"\x48\xc7\xc0"):  # mov rax, simm32
            value = ("int", struct.unpack_from("<i", data, pos + 3)[0])
            pos += 7
        elif _at(data, pos, b"\x31\xc0") or _at(data, pos, b"\x33\xc0"):  # xor eax, eax
            value = ("int", 0)
            pos += 2
        elif is64 and _at(data, pos, b"\x48\x8d\x05"):  # lea rax, [rip + disp32]
            disp = struct.unpack_from("<i", data, pos + 3)[0]
            pos += 7
            value = ("addr", vaddr + (pos - off) + disp)
        elif is64 and _at(data, pos, b"\x48\x8b\x05"):
            # mov rax, [rip + disp32]: a pointer kept in data (LAME's get_lame_version() in a
            # MinGW build returns the pointer its string table holds); the caller reads it
            disp = struct.unpack_from("<i", data, pos + 3)[0]
            pos += 7
            value = ("ptr", vaddr + (pos - off) + disp)
        elif _at(data, pos, b"\x81\xff") or _at(data, pos, b"\x83\xff"):
            # cmp edi, imm (an "at least this version?" check that may return NULL instead)
            pos += 6 if data[pos] == 0x81 else 3
        elif _at(data, pos, b"\x89\x7d"):
            pos += 3  # -O0: mov [rbp+d8], edi (the int argument spilled)
        elif _at(data, pos, b"\x81\x7d") or _at(data, pos, b"\x83\x7d"):
            # -O0: cmp dword [rbp+d8], imm (the same check on the spilled argument)
            pos += 7 if data[pos] == 0x81 else 4
        elif b in (0x7C, 0x7D, 0x7E, 0x7F) and pos + 2 <= end:
            pos += 2  # jl/jge/jle/jg short: the check's branch to the address returned (read on)
        elif _at(data, pos, b"\x48\x85\xff") or _at(data, pos, b"\x48\x85\xc9"):
            pos += 3  # test rdi, rdi / test rcx, rcx (an optional out-parameter)
        elif b == 0x74 and pos + 2 <= end:  # je short: skips only the out-parameter store below
            pos += 2
        elif b == 0xC7 and data[pos + 1] in (0x07, 0x01):  # mov dword [rdi|rcx], imm32: the out-parameter
            pos += 6
        # -O0 code for an optional out-parameter (espeak_Info(&path) in a debug build): the argument
        # spilled to the frame, compared with NULL, reloaded, a constant address stored through it
        elif _at(data, pos, b"\x48\x89\x7d") or _at(data, pos, b"\x48\x89\x4d"):
            pos += 4  # mov [rbp+d8], rdi|rcx
        elif _at(data, pos, b"\x48\x83\x7d") and data[pos + 4] == 0:
            pos += 5  # cmp qword [rbp+d8], 0
        elif _at(data, pos, b"\x48\x8b\x45"):
            value = ("none", None)  # mov rax, [rbp+d8]: the argument, no version
            pos += 4
        elif _at(data, pos, b"\x48\x8d\x15"):
            pos += 7  # lea rdx, [rip+d32]: the value stored through the argument
        elif _at(data, pos, b"\x48\x89\x10"):
            pos += 3  # mov [rax], rdx
        elif b == 0xBA:  # mov edx, imm32 (the NULL alternative)
            pos += 5
        elif _at(data, pos, b"\x48\x0f\x4f\xc2") or _at(data, pos, b"\x48\x0f\x4c\xc2"):
            pos += 4  # cmovg/cmovl rax, rdx: the same NULL alternative
        elif b == 0xC3 or _at(data, pos, b"\xf3\xc3"):  # ret
            return value if pushed is None else ("none", None)
        elif is64 and _at(data, pos, b"\x64\x48\x8b\x04\x25\x28\x00\x00\x00"):
            value = ("none", None)  # mov rax, fs:0x28: the canary
            pos += 9
        elif is64 and _at(data, pos, b"\x64\x48\x2b\x04\x25\x28\x00\x00\x00"):
            # sub rax, fs:0x28; jne: the canary checked, the failure path jumped to
            pos += 9
            jump = _jcc_length(data, pos, 5)
            if not jump:
                return "none", None
            pos += jump
        elif is64 and (_at(data, pos, b"\x48\x89\x44\x24") or _at(data, pos, b"\x48\x8b\x44\x24")):
            if data[pos + 1] == 0x8B:
                value = ("none", None)  # mov rax, [rsp+d8]: the canary back
            pos += 5  # mov [rsp+d8], rax: the canary stored
        elif is64 and (_at(data, pos, b"\x48\x83\xec") or _at(data, pos, b"\x48\x83\xc4")):
            pos += 4  # sub / add rsp, imm8
        elif _at(data, pos, b"\x66\x89\x07"):
            pos += 3  # mov [rdi], ax: a 16-bit out-parameter
        else:
            return "none", None
    return "none", None


_ARG_REGS = {7: 0, 6: 1, 2: 2, 1: 3}  # System V: modrm r/m of rdi, rsi, rdx, rcx -> argument index
_ARG_REGS_WIN64 = {1: 0, 2: 1}  # Windows x64: rcx, rdx (r8, r9 need a REX.B prefix)
_ARG_REGS_WIN64_REX = {0: 2, 1: 3}  # r8, r9


def _x86_stores(data: bytes, off: int, *, win64: bool = False) -> list[int] | None:
    """``void f(int *a, int *b, int *c) { *a = X; *b = Y; *c = Z; }`` → [X, Y, Z] (-O0 and -O2 forms)."""
    arg_regs = _ARG_REGS_WIN64 if win64 else _ARG_REGS
    pos, end = off, min(off + 96, len(data))
    slots: dict[int, int] = {}  # rbp displacement -> argument index
    rax_arg: int | None = None
    stored: dict[int, int] = {}
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
        elif b in (0x55, 0x5D, 0x90, 0xC9):  # push/pop rbp, nop, leave
            pos += 1
        elif _at(data, pos, b"\x48\x89\xe5"):
            pos += 3
        elif _at(data, pos, b"\x48\x89") and data[pos + 2] & 0xC7 == 0x45:  # mov [rbp-d8], reg
            reg = (data[pos + 2] >> 3) & 7
            if reg in arg_regs:
                slots[data[pos + 3]] = arg_regs[reg]
            pos += 4
        elif _at(data, pos, b"\x48\x8b\x45"):  # mov rax, [rbp-d8]
            rax_arg = slots.get(data[pos + 3])
            pos += 4
        elif _at(data, pos, b"\x48\x85") and data[pos + 2] >> 6 == 3 and \
                (data[pos + 2] >> 3) & 7 == data[pos + 2] & 7 in arg_regs and \
                _at(data, pos + 3, b"\x74\x06\xc7") and data[pos + 6] == data[pos + 2] & 7:
            # test reg, reg; je past the store; mov dword [reg], imm32: a store guarded by a null
            # check of its pointer (mpg123_distversion(), each argument optional)
            pos += 5
        elif win64 and _at(data, pos, b"\x4d\x85") and data[pos + 2] >> 6 == 3 and \
                (data[pos + 2] >> 3) & 7 == data[pos + 2] & 7 in _ARG_REGS_WIN64_REX and \
                _at(data, pos + 3, b"\x74\x07\x41\xc7") and data[pos + 7] == data[pos + 2] & 7:
            # the same for r8/r9 (test r8, r8; je; mov dword [r8], imm32: graphite2's
            # gr_engine_version(&major, &minor, &bugfix) in a MinGW DLL)
            pos += 5
        elif _at(data, pos, b"\x48\x8d\x05"):  # lea rax, [rip+d32]: the function's return value
            pos += 7
        elif b == 0xC7 and data[pos + 1] == 0x00 and rax_arg is not None:  # mov dword [rax], imm32
            stored[rax_arg] = struct.unpack_from("<I", data, pos + 2)[0]
            pos += 6
        elif b == 0xC7 and data[pos + 1] in arg_regs:  # mov dword [arg register], imm32
            stored[arg_regs[data[pos + 1]]] = struct.unpack_from("<I", data, pos + 2)[0]
            pos += 6
        elif win64 and b == 0x41 and data[pos + 1] == 0xC7 and data[pos + 2] in _ARG_REGS_WIN64_REX:
            stored[_ARG_REGS_WIN64_REX[data[pos + 2]]] = struct.unpack_from("<I", data, pos + 3)[0]
            pos += 7  # mov dword [r8|r9], imm32
        elif b == 0xB8:  # mov eax, imm32: the function's own return value (an error code)
            pos += 5
        elif _at(data, pos, b"\x31\xc0"):  # xor eax, eax
            pos += 2
        elif b == 0xC3:
            if stored and sorted(stored) == list(range(len(stored))) and len(stored) >= 2:
                return [stored[i] for i in range(len(stored))]
            return None
        else:
            return None
    return None


def x86_struct_returned(data: bytes, off: int) -> list[int] | None:
    """[a, b, c] of an x86-64 System V function returning ``struct {int a, b, c;}`` by value from
    constants: ``movabs rax, (b << 32) | a; mov edx, c; ret`` (either order); None otherwise."""
    pos = off + (4 if _at(data, off, b"\xf3\x0f\x1e\xfa") else 0)
    rax = edx = None
    for _ in range(3):
        if _at(data, pos, b"\x48\xb8") and pos + 10 <= len(data):
            rax = struct.unpack_from("<Q", data, pos + 2)[0]
            pos += 10
        elif pos + 5 <= len(data) and data[pos] == 0xBA:
            edx = struct.unpack_from("<I", data, pos + 1)[0]
            pos += 5
        elif pos < len(data) and data[pos] == 0xC3:
            break
        else:
            return None
    if rax is None or edx is None or pos >= len(data) or data[pos] != 0xC3:
        return None
    return [rax & 0xFFFFFFFF, rax >> 32, edx]


def x86_first_call(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_bytes: int = 64
                   ) -> tuple[int, int] | None:
    """(file offset, address) of the function an x86-64 wrapper calls or jumps to first (``call
    rel32`` / ``jmp rel32``), read byte by byte over its first ``max_bytes`` for those opcodes after
    an instruction that ends there: a wrapper that only sets up its arguments (an API's getter
    for a bundled library's version: SDL_ttf's ``TTF_GetHarfBuzzVersion`` calling ``hb_version``)."""
    pos, end = off, min(off + max_bytes, len(data))
    while pos + 5 <= end:
        b = data[pos]
        if b in (0xE8, 0xE9):
            target = vaddr + (pos + 5 - off) + struct.unpack_from("<i", data, pos + 1)[0]
            toff = info.offset_of(target)
            return (toff, target) if toff is not None and 0 <= toff < len(data) else None
        n = _x86_setup_length(data, pos)
        if n is None:
            return None
        pos += n
    return None


def x86_object_getter(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, win64: bool = False,
                      max_bytes: int = 48) -> tuple[int, int, int] | None:
    """(address of a global object pointer, file offset and address of the function called) for an
    x86-64 wrapper that passes a global object on to a getter: its arguments moved up by one, the
    object loaded into the first (``mov rcx, [rip + G]``), then ``jmp``/``call`` (SDL_ttf's
    ``TTF_GetFreeTypeVersion`` calling ``FT_Library_Version(library, ...)``)."""
    obj = 1 if win64 else 7
    pos, end = off, min(off + max_bytes, len(data))
    glob = None
    while pos + 5 <= end:
        if data[pos] in (0xE8, 0xE9):
            target = vaddr + (pos + 5 - off) + struct.unpack_from("<i", data, pos + 1)[0]
            toff = info.offset_of(target)
            ok = glob is not None and toff is not None and 0 <= toff < len(data)
            return (glob, toff, target) if ok else None  # type: ignore[return-value]
        if data[pos] == 0x48 and data[pos + 1] == 0x8B and data[pos + 2] == 0x05 | (obj << 3) \
                and pos + 7 <= end:  # mov obj, [rip + d32]
            glob = vaddr + (pos + 7 - off) + struct.unpack_from("<i", data, pos + 3)[0]
            pos += 7
            continue
        n = _x86_setup_length(data, pos)
        if n is None:
            return None
        pos += n
    return None


def x86_initialised_by(data: bytes, info: BinaryInfo, lo: int, hi: int, delta: int, glob: int, *,
                       win64: bool = False, max_calls: int = 6) -> list[tuple[int, int]]:
    """The functions an initialiser of the global object pointer at ``glob`` calls: wherever code
    passes the pointer's address as the first argument (``lea rcx, [rip + G]``) straight to a call
    (``FT_Init_FreeType(&library)``), that callee's first ``max_calls`` calls (file offset, address)
    (``FT_New_Memory``, ``FT_New_Library``...). ``lo``/``hi``: the code's file offsets, ``delta``
    its address less its file offset."""
    lea = b"\x48\x8d" + bytes([0x0D if win64 else 0x3D])
    out: list[tuple[int, int]] = []
    pos = data.find(lea, lo, hi)
    while 0 <= pos < hi - 12:
        if delta + pos + 7 + struct.unpack_from("<i", data, pos + 3)[0] == glob and data[pos + 7] == 0xE8:
            init = delta + pos + 12 + struct.unpack_from("<i", data, pos + 8)[0]
            ioff = init - delta
            if lo <= ioff < hi:
                out += _x86_calls(data, ioff, delta, lo, hi, max_calls)
        pos = data.find(lea, pos + 1, hi)
    return out


def _x86_calls(data: bytes, off: int, delta: int, lo: int, hi: int, max_calls: int) -> list[tuple[int, int]]:
    """The targets of what reads as ``call rel32`` in a function's first 160 bytes, in code: (file
    offset, address), at most ``max_calls`` (read byte by byte: a target that is no function
    yields no constants)."""
    out: list[tuple[int, int]] = []
    end = min(off + 160, hi)
    pos = off
    while pos + 5 <= end and len(out) < max_calls:
        if data[pos] == 0xE8:
            toff = pos + 5 + struct.unpack_from("<i", data, pos + 1)[0]
            if lo <= toff < hi:
                out.append((toff, toff + delta))
                pos += 5
                continue
        pos += 1
    return out


def _x86_setup_length(data: bytes, pos: int) -> int | None:
    """The length of one x86-64 instruction of the kinds a wrapper sets up a call with: push/pop,
    ``sub/add rsp, imm8``, ``mov r, r``, ``mov dword [rsp + d8], imm32``, ``lea r, [rsp + d8]``,
    endbr64; None for any other."""
    b = data[pos]
    if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
        return 4
    if 0x50 <= b <= 0x5F:
        return 1  # push / pop
    rex = b if 0x40 <= b <= 0x4F else 0
    at = pos + (1 if rex else 0)
    if at + 2 > len(data):
        return None
    op, modrm = data[at], data[at + 1]
    if rex and 0x50 <= op <= 0x5F:
        return 2  # push / pop r8-r15
    if op in (0x89, 0x8B) and modrm >> 6 == 3:
        return at + 2 - pos  # mov r, r
    if op == 0x83 and modrm in (0xC4, 0xEC):
        return at + 3 - pos  # add / sub rsp, imm8
    if op == 0xC7 and modrm == 0x44 and data[at + 2] == 0x24:
        return at + 8 - pos  # mov dword [rsp + d8], imm32
    if op == 0x89 and modrm & 0xC7 == 0x44 and data[at + 2] == 0x24:
        return at + 4 - pos  # mov [rsp + d8], r (MSVC zeroing the out-values: SDL_ttf's getters)
    if op in (0x31, 0x33) and modrm >> 6 == 3 and (modrm >> 3) & 7 == modrm & 7:
        return at + 2 - pos  # xor r, r
    if op == 0x8D and modrm & 0xC7 == 0x44 and data[at + 2] == 0x24:
        return at + 4 - pos  # lea r, [rsp + d8]
    return None


def x86_array_stores(data: bytes, off: int, *, win64: bool = False) -> list[int] | None:
    """``void f(int v[3]) { if (v) { v[0] = X; v[1] = Y; v[2] = Z; } }`` -> [X, Y, Z] (SuiteSparse's
    ``cholmod_version``, ``SuiteSparse_version``): 32-bit stores through the first argument, also
    written two at a time (``movq $imm32`` sign-extends: X, 0; ``movabs`` then ``mov [rdi], rax``)."""
    base = 0x01 if win64 else 0x07  # modrm r/m of rcx or rdi
    pos, end = off, min(off + 64, len(data))
    stored: dict[int, int] = {}  # byte offset in the array -> 32-bit value
    rax: int | None = None

    def put(at: int, value: int, width: int) -> None:
        for i in range(width // 4):
            stored[at + 4 * i] = (value >> (32 * i)) & 0xFFFFFFFF

    def disp(modrm: int, at: int) -> tuple[int, int] | None:  # (displacement, its length)
        if modrm == base:
            return 0, 0
        if modrm == 0x40 | base:
            return data[at], 1
        return None

    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
        elif _at(data, pos, b"\x48\x85\xff" if not win64 else b"\x48\x85\xc9"):
            pos += 3  # test the array pointer
        elif b == 0x74:  # je short: the NULL-pointer path skips the stores
            pos += 2
        elif b in (0x48, 0xC7) and (b == 0xC7 or data[pos + 1] == 0xC7) and \
                (d := disp(data[pos + (2 if b == 0x48 else 1)], pos + (3 if b == 0x48 else 2))) is not None:
            at = pos + (3 if b == 0x48 else 2) + d[1]  # mov dword/qword [reg + d8], simm32
            imm = struct.unpack_from("<i", data, at)[0]
            put(d[0], imm & (0xFFFFFFFFFFFFFFFF if b == 0x48 else 0xFFFFFFFF), 8 if b == 0x48 else 4)
            pos = at + 4
        elif _at(data, pos, b"\x48\xb8"):  # movabs rax, imm64
            rax = struct.unpack_from("<Q", data, pos + 2)[0]
            pos += 10
        elif _at(data, pos, b"\x48\x89") and rax is not None and \
                (d := disp(data[pos + 2], pos + 3)) is not None:  # mov [reg + d8], rax
            put(d[0], rax, 8)
            pos += 3 + d[1]
        elif b == 0xB8:  # mov eax, imm32: the return value
            pos += 5
        elif b == 0xC3:
            n = len(stored)
            if n >= 3 and sorted(stored) == [4 * i for i in range(n)]:
                values = [stored[4 * i] for i in range(n)]
                return values if all(v < 10000 for v in values) else None
            return None
        else:
            return None
    return None


def aarch64_array_stores(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_ins: int = 24
                         ) -> list[int] | None:
    """The arm64 form of :func:`x86_array_stores`: ``void f(int v[3])`` storing 32-bit integers at
    ``v[0]``, ``v[1]``, ``v[2]`` through x0, also two at a time from an 8-byte constant (``ldr d0,
    [x8, #off]; str d0, [x0]; str wzr, [x0, #8]``: SuiteSparse's ``SuiteSparse_version``); a
    ``cbz x0`` skipping the stores and a ``mov w0, #imm`` (the return value) are allowed."""
    regs: dict[int, int] = {}  # general registers 0-31, SIMD&FP d registers 32-63: known values
    addrs: dict[int, int] = {}
    stored: dict[int, int] = {}  # byte offset in the array -> 32-bit value
    pos = off
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            return None
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + (pos - off)
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0xFFFFF01F == 0xD503201F:  # hints
            pass
        elif ins in (0xD65F03C0, 0xD65F0BFF):  # ret
            n = len(stored)
            if n >= 3 and sorted(stored) == [4 * i for i in range(n)]:
                values = [stored[4 * i] for i in range(n)]
                return values if all(v < 10000 for v in values) else None
            return None
        elif ins & 0xFF00001F == 0xB4000000:  # cbz x0: the NULL-pointer path skips the stores
            pass
        elif _constant_step(ins, pc, data, info, regs, addrs):
            pass  # a constant built (an unknown one is stored as nothing below)
        elif ins & 0xBFC00000 == 0xB9000000 or ins & 0xFFC00000 == 0xFD000000:  # str wt/xt/dt, [x0, #uimm]
            size = 8 if ins & 0xFFC00000 in (0xF9000000, 0xFD000000) else 4
            reg = 32 + rd if ins & 0xFFC00000 == 0xFD000000 else rd
            val = 0 if reg == 31 else regs.get(reg)
            if rn != 0 or val is None:
                return None
            at = ((ins >> 10) & 0xFFF) * size
            for i in range(size // 4):
                stored[at + 4 * i] = (val >> (32 * i)) & 0xFFFFFFFF
        else:
            return None
        pos += 4
    return None


def x86_short_string(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_bytes: int = 96,
                     win64: bool = False) -> str | None:
    """The text of a ``std::string`` an x86-64 C++ function returns, built in place as a libstdc++
    short string (the caller's object in rdi: its data pointer at +0 set to rdi+16, the length at
    +8, the characters at +16 on): ``grpc::Version[abi:cxx11]()`` is ``lea rdx, [rdi+16]; mov dword
    [rdi+16], "1.81"; mov [rdi], rdx; mov edx, ".1"; mov [rdi+20], dx; mov qword [rdi+8], 6; mov
    byte [rdi+22], 0; mov rax, rdi; ret``. Characters from immediates or 8-byte rip-relative loads;
    anything else gives None. ``win64``: MinGW's libstdc++ under the Windows convention, the
    object in rcx (``lea rdx, [rcx+16]; mov byte [rcx+20], "1"; mov [rcx], rdx; ...``)."""
    ob = 1 if win64 else 7  # the object's register: rcx or rdi
    d8 = 0x40 | ob  # modrm [ob + disp8] with reg 0 (rax / eax / al); | 0x10 for rdx / edx / dl
    regs: dict[int, int] = {}  # rax 0, rdx 2: known values
    obj: dict[int, int] = {}   # byte offset in the object -> value
    points = False
    pos, end = off, min(off + max_bytes, len(data))
    while pos < end:
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):  # endbr64
            pos += 4
        elif _at(data, pos, b"\x48\x8d") and data[pos + 2] in (d8, d8 | 0x10) and data[pos + 3] == 0x10:
            regs.pop((data[pos + 2] >> 3) & 7, None)  # lea rdx/rax, [rdi+16]
            pos += 4
        elif _at(data, pos, b"\x48\x89") and data[pos + 2] in (ob, ob | 0x10):  # mov [rdi], rdx/rax
            points = True
            pos += 3
        elif _at(data, pos, b"\x48\x89") and data[pos + 2] == 0xC0 | (ob << 3):  # mov rax, rdi
            pos += 3
        elif data[pos] in (0xB8, 0xBA):  # mov eax/edx, imm32
            regs[data[pos] - 0xB8] = struct.unpack_from("<I", data, pos + 1)[0]
            pos += 5
        elif data[pos:pos + 2] in (b"\x48\xb8", b"\x48\xba"):  # movabs rax/rdx, imm64
            regs[data[pos + 1] - 0xB8] = struct.unpack_from("<Q", data, pos + 2)[0]
            pos += 10
        elif data[pos:pos + 3] in (b"\x48\x8b\x05", b"\x48\x8b\x15"):  # mov rax/rdx, [rip+d32]
            target = info.offset_of(vaddr + (pos - off) + 7 + struct.unpack_from("<i", data, pos + 3)[0])
            if target is None or target + 8 > len(data):
                return None
            regs[(data[pos + 2] >> 3) & 7] = int.from_bytes(data[target:target + 8], "little")
            pos += 7
        elif data[pos] == 0xC7 and data[pos + 1] == d8:  # mov dword [rdi+d8], imm32
            for i, b in enumerate(data[pos + 3:pos + 7]):
                obj[data[pos + 2] + i] = b
            pos += 7
        elif _at(data, pos, b"\x48\xc7") and data[pos + 2] == d8:  # mov qword [rdi+d8], simm32
            value = struct.unpack_from("<i", data, pos + 4)[0] & _MASK64
            for i in range(8):
                obj[data[pos + 3] + i] = (value >> (8 * i)) & 0xFF
            pos += 8
        elif _at(data, pos, b"\x66\xc7") and data[pos + 2] == d8:  # mov word [rdi+d8], imm16
            for i, b in enumerate(data[pos + 4:pos + 6]):
                obj[data[pos + 3] + i] = b
            pos += 6
        elif data[pos] == 0xC6 and data[pos + 1] == d8:  # mov byte [rdi+d8], imm8
            obj[data[pos + 2]] = data[pos + 3]
            pos += 4
        elif (data[pos] in (0x89, 0x88) and data[pos + 1] in (d8, d8 | 0x10)) or \
                (data[pos] in (0x48, 0x66) and data[pos + 1] == 0x89 and data[pos + 2] in (d8, d8 | 0x10)):
            # mov [rdi+d8], rax/rdx (8), eax/edx (4), ax/dx (2), al/dl (1)
            wide = data[pos] in (0x48, 0x66)
            modrm, disp = data[pos + (2 if wide else 1)], data[pos + (3 if wide else 2)]
            size = {0x48: 8, 0x66: 2, 0x89: 4, 0x88: 1}[data[pos]]
            value = regs.get((modrm >> 3) & 7)
            if value is None:
                return None
            for i in range(size):
                obj[disp + i] = (value >> (8 * i)) & 0xFF
            pos += 4 if wide else 3
        elif data[pos] == 0xC3:  # ret
            n = int.from_bytes(bytes(obj.get(8 + i, 0xFF) for i in range(8)), "little")
            if not points or not 0 < n < 16 or any(16 + i not in obj for i in range(n + 1)) or obj[16 + n]:
                return None
            text = bytes(obj[16 + i] for i in range(n))
            return text.decode("ascii") if re.fullmatch(rb"[\x20-\x7e]+", text) else None
        else:
            return None
    return None


def x86_buffer_text(data: bytes | mmap.mmap, off: int, vaddr: int, info: BinaryInfo, *,
                    max_bytes: int = 96) -> str | None:
    """The text an x86-64 function writes into a static buffer and returns, from a straight run
    of moves: GEOS's ``GEOSversion()`` copies 16 bytes of ``"3.14.1-CAPI-1.20"`` from read-only
    data with ``movdqa xmm0, [rip+d]; movaps [rip+buf], xmm0``, then stores the tail ``".5"`` and
    the NUL as immediates (``mov dword``/``word``/``byte [rip+d], imm`` or through eax), and
    returns ``lea rax, [rip+buf]``. Only moves between registers holding constants, read-only
    bytes and RIP-relative memory are followed; a branch, a call or any other instruction gives
    None, and so does a returned text with a byte the function did not write."""
    regs: dict[int, int] = {}   # general registers holding a known constant or address
    xmm: dict[int, bytes] = {}  # 16-byte registers holding known bytes
    mem: dict[int, int] = {}    # virtual address -> byte written
    pos, end = off, min(off + max_bytes, len(data))

    def rip(at: int, length: int) -> int:  # the target of a disp32 at ``at`` in an insn ending at pos+length
        return vaddr + (pos - off) + length + struct.unpack_from("<i", data, at)[0]

    def put(addr: int, value: int, size: int) -> None:
        for i in range(size):
            mem[addr + i] = (value >> (8 * i)) & 0xFF

    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):  # endbr64
            pos += 4
            continue
        if b == 0xC3:  # ret
            start = regs.get(0)
            if start is None:
                return None
            out = bytearray()
            while len(out) <= 200:
                c = mem.get(start + len(out))
                if c is None:
                    return None
                if c == 0:
                    break
                out.append(c)
            else:
                return None
            return out.decode("ascii") if out and re.fullmatch(rb"[\x20-\x7e]+", out) else None
        # prefixes: operand size (66) or SSE (66/F3), then an optional REX
        pre = b if b in (0x66, 0xF3) else 0
        q = pos + (1 if pre else 0)
        rex = data[q] if 0x40 <= data[q] <= 0x4F else 0
        q += 1 if rex else 0
        op = data[q]
        if op == 0x0F and data[q + 2] & 0xC7 == 0x05:  # SSE move with a RIP-relative operand
            op2, reg = data[q + 1], ((data[q + 2] >> 3) & 7) | (8 if rex & 4 else 0)
            length = q + 7 - pos
            addr = rip(q + 3, length)
            if (op2 in (0x28, 0x10) and pre == 0) or (op2 == 0x6F and pre in (0x66, 0xF3)):
                src = info.offset_of(addr)  # a load: read-only bytes of the file
                if src is None or src + 16 > len(data):
                    return None
                xmm[reg] = bytes(data[src:src + 16])
            elif (op2 in (0x29, 0x11) and pre == 0) or (op2 == 0x7F and pre in (0x66, 0xF3)):
                if reg not in xmm:
                    return None
                put(addr, int.from_bytes(xmm[reg], "little"), 16)
            else:
                return None
            pos += length
        elif pre == 0 and 0xB8 <= op <= 0xBF and not rex & 1:  # mov r32, imm32 / movabs r64, imm64
            wide = bool(rex & 8)
            regs[op - 0xB8] = int.from_bytes(data[q + 1:q + (9 if wide else 5)], "little")
            pos = q + (9 if wide else 5)
        elif pre == 0 and rex == 0x48 and op == 0x8D and data[q + 1] & 0xC7 == 0x05:  # lea r64, [rip+d]
            regs[(data[q + 1] >> 3) & 7] = rip(q + 2, q + 6 - pos)
            pos = q + 6
        elif op in (0xC7, 0xC6) and data[q + 1] == 0x05 and pre in (0, 0x66) and rex in (0, 0x48):
            # mov dword/qword/word/byte [rip+d], imm
            size = 1 if op == 0xC6 else 2 if pre == 0x66 else 8 if rex == 0x48 else 4
            width = 1 if size == 1 else 2 if size == 2 else 4
            length = q + 6 + width - pos
            value = int.from_bytes(data[q + 6:q + 6 + width], "little", signed=size == 8)
            put(rip(q + 2, length), value & _MASK64, size)
            pos += length
        elif op in (0x89, 0x88) and data[q + 1] & 0xC7 == 0x05 and pre in (0, 0x66) and rex in (0, 0x48):
            # mov [rip+d], r64/r32/r16/r8 (the low registers only)
            size = 1 if op == 0x88 else 2 if pre == 0x66 else 8 if rex == 0x48 else 4
            value = regs.get((data[q + 1] >> 3) & 7)
            if value is None or (op == 0x88 and (data[q + 1] >> 3) & 7 > 3):
                return None
            put(rip(q + 2, q + 6 - pos), value, size)
            pos = q + 6
        else:
            return None
    return None


def x86_immediate_text(data: bytes, start: int, lead: bytes) -> bytes | None:
    """The text x86-64 code writes from 8-byte immediates (``movabs rax, "OpenBLAS"`` ... ``mov
    [rip+d], rax``): compilers turn a strcpy of a constant into such stores (OpenBLAS's config
    string in MinGW builds; curl_version()'s "libcurl/7.69.1" in a static libcurl, whose short
    tail goes through a 32-bit register and a 16-bit store), or a short std::string built in
    place through a base register (IPOPT's "MUMPS 5.8.2": ``movabs rcx, "MUMPS 5."``, ``mov
    [rdi+0x10], rcx``, ``mov dword [rdi+0x17], ".8.2"``). From the ``movabs`` at ``start``: the
    bytes stored contiguously from where ``lead`` (the first 8) is stored, in address order;
    None when they are not found."""
    regs: dict[int, bytes] = {}
    stores: dict[int, bytes] = {}  # target (relative to the code's own offsets) -> bytes
    based: list[tuple[int, int, bytes]] = []  # (base register, displacement, bytes), in order
    pos, end = start, min(start + 512, len(data))
    for _ in range(96):
        if pos >= end:
            break
        b = data[pos]
        rex = b if 0x40 <= b <= 0x4F else 0
        op = data[pos + 1] if rex else b
        at = pos + (1 if rex else 0)
        if rex & 8 and 0xB8 <= op <= 0xBF:  # movabs r64, imm64
            regs[(op - 0xB8) + (8 if rex & 1 else 0)] = bytes(data[at + 1:at + 9])
            pos = at + 9
        elif rex in (0, 0x41) and 0xB8 <= op <= 0xBF:  # mov r32, imm32 (the tail of a short text)
            regs[(op - 0xB8) + (8 if rex & 1 else 0)] = bytes(data[at + 1:at + 5])
            pos = at + 5
        elif b == 0x66 and data[pos + 1] in (0x89, 0x44) and \
                ((data[pos + 1] == 0x89 and data[pos + 2] & 0xC7 == 0x05) or
                 (data[pos + 1] == 0x44 and data[pos + 2] == 0x89 and data[pos + 3] & 0xC7 == 0x05)):
            # mov word [rip+d32], r16: two bytes of a register loaded above ("libcurl/" "7.69" ".1")
            rx = 0x44 if data[pos + 1] == 0x44 else 0
            mod = pos + (3 if rx else 2)
            reg = ((data[mod] >> 3) & 7) + (8 if rx else 0)
            nxt = mod + 5
            if reg in regs:
                stores[nxt + struct.unpack_from("<i", data, mod + 1)[0]] = regs[reg][:2]
            pos = nxt
        elif rex & 8 and op == 0x89 and data[at + 1] & 0xC7 == 0x05:  # mov [rip+d32], r64
            reg = ((data[at + 1] >> 3) & 7) + (8 if rex & 4 else 0)
            nxt = at + 6
            if reg in regs:
                stores[nxt + struct.unpack_from("<i", data, at + 2)[0]] = regs[reg]
            pos = nxt
        elif not rex and b == 0xC7 and data[pos + 1] == 0x05:  # mov dword [rip+d32], imm32
            nxt = pos + 10
            stores[nxt + struct.unpack_from("<i", data, pos + 2)[0]] = bytes(data[pos + 6:pos + 10])
            pos = nxt
        elif not rex and b == 0x66 and data[pos + 1:pos + 3] == b"\xc7\x05":  # mov word [rip+d32], imm16
            nxt = pos + 9
            stores[nxt + struct.unpack_from("<i", data, pos + 3)[0]] = bytes(data[pos + 7:pos + 9])
            pos = nxt
        elif not rex and b == 0xC6 and data[pos + 1] == 0x05:  # mov byte [rip+d32], imm8
            nxt = pos + 7
            stores[nxt + struct.unpack_from("<i", data, pos + 2)[0]] = bytes(data[pos + 6:pos + 7])
            pos = nxt
        elif 0x50 <= op <= 0x5F and (not rex or rex == 0x41):  # push/pop r64
            pos = at + 1
        elif rex == 0x48 and op == 0x83 and data[at + 1] in (0xEC, 0xC4):  # sub/add rsp, imm8
            pos = at + 3
        elif rex in (0x48, 0x4C) and op == 0x8D and data[at + 1] & 0xC7 == 0x44 and data[at + 2] == 0x24:
            pos = at + 4  # lea r64, [rsp+d8]
        elif rex in (0x48, 0x4C) and op == 0x8D and data[at + 1] & 0xC7 == 0x05:
            pos = at + 6  # lea r64, [rip+d32]: an address set up for later (the buffer, a format)
        elif at + 2 < end and (mrm := data[at + 1]) >> 6 in (0, 1) and mrm & 7 not in (4, 5) and \
                ((rex & 8 and op in (0x89, 0x8D, 0xC7)) or (rex in (0, 0x41) and op in (0xC7, 0xC6))):
            # through a base register, [reg] or [reg+d8]: a short std::string built in place
            # (its characters from immediates, in pieces that may overlap: "MUMPS 5." then
            # ".8.2" at +7), its length and pointer stored beside them
            base = (mrm & 7) + (8 if rex & 1 else 0)
            nxt = at + 2 + (mrm >> 6)
            disp = struct.unpack_from("<b", data, at + 2)[0] if mrm >> 6 else 0
            if op == 0x89:  # mov [base+d], r64 (a register not loaded above stores nothing known)
                reg = ((mrm >> 3) & 7) + (8 if rex & 4 else 0)
                if reg in regs:
                    based.append((base, disp, regs[reg]))
            elif op in (0xC7, 0xC6):  # mov [base+d], imm32 (qword: sign-extended) / imm8
                if (mrm >> 3) & 7:
                    break
                size = 1 if op == 0xC6 else 4
                imm = bytes(data[nxt:nxt + size])
                if rex & 8:
                    imm += (b"\xff" if imm[-1] & 0x80 else b"\x00") * 4
                based.append((base, disp, imm))
                nxt += size
            pos = nxt  # (0x8D: lea r64, [base+d8], an address set up for later)
        elif rex & 8 and op == 0x89 and data[at + 1] >> 6 == 3:
            pos = at + 2  # mov r64, r64
        else:
            break
    first = next((k for k, v in stores.items() if v == lead), None)
    if first is None:
        return _based_text(based, lead)
    out, k = bytearray(), first
    while k in stores and len(out) < 512:
        out += stores[k]
        k += len(stores[k])
    return bytes(out)


def _based_text(based: list[tuple[int, int, bytes]], lead: bytes) -> bytes | None:
    """The text stored through one base register from where ``lead`` went, the stores applied in
    program order (a later one overwrites what it overlaps), up to its NUL or a byte not written."""
    start = next(((b, d) for b, d, v in based if v == lead), None)
    if start is None:
        return None
    mem: dict[int, int] = {}
    for b, d, v in based:
        if b == start[0]:
            for i, c in enumerate(v):
                mem[d + i] = c
    out, k = bytearray(), start[1]
    while k in mem and mem[k] and len(out) < 512:
        out.append(mem[k])
        k += 1
    return bytes(out)


def aarch64_stores(data: bytes, off: int, vaddr: int, *, max_ins: int = 32
                   ) -> tuple[dict[int, tuple[str, int] | None], bool]:
    """What an arm64 function stores through its pointer arguments, from its entry on.

    ``void zmq_version(int *a, int *b, int *c) { *a = 4; *b = 3; *c = 5; }`` gives
    ``{0: ("int", 4), 1: ("int", 3), 2: ("int", 5)}``; ``igraph_version(const char **s, ...)``
    stores a string's address through its first argument (``("addr", a)``). Straight-line code:
    constants and addresses built in registers, stores at offset 0 through an argument register,
    a ``cbz``/``cbnz`` on an argument taken as the argument being given (non-NULL). A second store
    through the same argument makes that argument's value None (unknown). Returns the stores and
    whether ``ret`` was reached: the scan stops at the first instruction not modelled here (a
    call, a load), so stores found before it are made on every path that gets there, but what
    follows may store again."""
    regs: dict[int, tuple[str, int]] = {i: ("arg", i) for i in range(8)}
    stores: dict[int, tuple[str, int] | None] = {}
    pos = off
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            return stores, False
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + (pos - off)
        nxt = pos + 4
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0xFFFFF01F == 0xD503201F:  # hints: nop, paciasp, bti
            pass
        elif ins in (0xD65F03C0, 0xD65F0BFF):  # ret / retaa
            return stores, True
        elif _aarch64_tagged_step(ins, pc, regs):  # movz/movn/movk, mov, adrp/adr
            pass
        elif ins & 0xFF800000 == 0x91000000:  # add xd, xn, #imm (64-bit, no flags)
            base = regs.get(rn)
            imm = ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)
            if rn != 31 and base is not None and base[0] == "addr":
                regs[rd] = ("addr", base[1] + imm)
            else:
                regs.pop(rd, None)
        elif ins & 0x7E000000 == 0x34000000:  # cbz / cbnz
            val = regs.get(rd)
            if val is None or val[0] != "arg":
                return stores, False
            if (ins >> 24) & 1:  # cbnz: the argument given is the branch
                imm = (ins >> 5) & 0x7FFFF
                nxt = pos + ((imm - (1 << 19) if imm & (1 << 18) else imm) << 2)
                if nxt <= pos:
                    return stores, False
        elif ins & 0xBFC00000 == 0xB9000000 and (ins >> 10) & 0xFFF == 0:
            # str wt/xt, [xn] (unsigned offset 0)
            base = regs.get(rn) if rn != 31 else None
            if base is None or base[0] != "arg":
                return stores, False
            val = ("int", 0) if rd == 31 else regs.get(rd)
            if val is not None and val[0] == "arg":
                val = None
            if val is not None and not (ins >> 30) & 1 and val[0] != "int":
                val = None  # a 32-bit store of an address
            if val is not None and not (ins >> 30) & 1:
                val = ("int", val[1] & 0xFFFFFFFF)
            stores[base[1]] = None if base[1] in stores else val
        else:
            return stores, False
        pos = nxt
    return stores, False


def aarch64_short_string(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_ins: int = 32
                         ) -> str | None:
    """The text of a ``std::string`` an arm64 C++ function returns, built in place as a libc++ short
    string: the caller's buffer comes in x8, the characters are stored into its first bytes (from
    immediates, or 4/8 bytes loaded from the file's constant data) and the length into its last byte
    (``grpc::Version()``: "1.81.1" as ``mov w9, #0x2e31; movk ...; str w9, [x8]; strh ...; strb
    wzr, [x8, #6]``, 6 into ``[x8, #23]``; ``faiss::get_version()``). Straight-line code only: any
    other instruction (a call, a branch, a store elsewhere) gives None."""
    regs: dict[int, tuple[str, int]] = {8: ("buf", 0)}
    buf: dict[int, int] = {}
    pos = off
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            return None
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + (pos - off)
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0xFFFFF01F == 0xD503201F:  # hints: nop, paciasp, bti
            pass
        elif ins in (0xD65F03C0, 0xD65F0BFF):  # ret / retaa
            break
        elif ins & 0x7F800000 in (0x52800000, 0x12800000):  # movz / movn
            imm = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
            val = imm if ins & 0x40000000 else ~imm
            regs[rd] = ("int", val & (_MASK64 if ins >> 31 else 0xFFFFFFFF))
        elif ins & 0x7F800000 == 0x72800000:  # movk
            old, shift = regs.get(rd), 16 * ((ins >> 21) & 3)
            if old is None or old[0] != "int":
                return None
            regs[rd] = ("int", (old[1] & ~(0xFFFF << shift)) | (((ins >> 5) & 0xFFFF) << shift))
        elif ins & 0x9F000000 == 0x90000000:  # adrp
            regs[rd] = ("addr", _adrp_page(ins, pc))
        elif ins & 0xFF800000 == 0x91000000:  # add xd, xn, #imm
            base = regs.get(rn)
            if base is None or base[0] != "addr":
                return None
            regs[rd] = ("addr", base[1] + (((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0)))
        elif ins & 0xBFC00000 == 0xB9400000:  # ldr wt/xt, [xn, #uimm]: constant data
            base, size = regs.get(rn), 8 if (ins >> 30) & 1 else 4
            at = base[1] + ((ins >> 10) & 0xFFF) * size if base and base[0] == "addr" else None
            src = info.offset_of(at) if at is not None else None
            if src is None or src + size > len(data):
                return None
            regs[rd] = ("int", int.from_bytes(data[src:src + size], "little"))
        elif ins & 0x3FC00000 == 0x39000000:  # strb / strh / str wt / str xt, [xn, #uimm]
            size = 1 << (ins >> 30)
            base, val = regs.get(rn), ("int", 0) if rd == 31 else regs.get(rd)
            if base is None or base[0] != "buf" or val is None or val[0] != "int":
                return None
            at = ((ins >> 10) & 0xFFF) * size
            if at + size > 24:
                return None
            for i in range(size):
                buf[at + i] = (val[1] >> (8 * i)) & 0xFF
        else:
            return None
        pos += 4
    else:
        return None
    n = buf.get(23)
    if n is None or not 0 < n < 23 or any(i not in buf for i in range(n + 1)) or buf[n] != 0:
        return None
    text = bytes(buf[i] for i in range(n))
    return text.decode("ascii") if re.fullmatch(rb"[\x20-\x7e]+", text) else None


def aarch64_field_getter(data: bytes, off: int, *, max_ins: int = 24) -> dict[int, int] | None:
    """{argument: field offset} of an arm64 getter that copies 32-bit fields of the object in x0
    through its pointer arguments (``FT_Library_Version(lib, &major, &minor, &patch)``: ``ldp w10,
    w9, [x0, #8]; ldr w8, [x0, #16]; str w10, [x1]`` ...), to its first ``ret``; NULL checks
    allowed. None for anything else."""
    loaded: dict[int, int] = {}
    out: dict[int, int] = {}
    pos = off
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            return None
        (ins,) = struct.unpack_from("<I", data, pos)
        rt, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins & 0xFFFFF01F == 0xD503201F or ins & 0x7E000000 == 0x34000000:  # hints, cbz/cbnz
            pass
        elif ins in (0xD65F03C0, 0xD65F0BFF):  # ret
            return out if len(out) >= 2 else None
        elif ins & 0xFFC00000 == 0xB9400000 and rn == 0:  # ldr wt, [x0, #uimm]
            loaded[rt] = ((ins >> 10) & 0xFFF) * 4
        elif ins & 0xFFC00000 == 0x29400000 and rn == 0:  # ldp wt, wt2, [x0, #simm7]
            imm = (ins >> 15) & 0x7F
            imm = (imm - 0x80 if imm & 0x40 else imm) * 4
            loaded[rt], loaded[(ins >> 10) & 0x1F] = imm, imm + 4
        elif ins & 0xFFFFFC00 == 0xB9000000 and 1 <= rn <= 7 and rt in loaded:  # str wt, [xn]
            if rn in out:
                return None
            out[rn] = loaded[rt]
        else:
            return None
        pos += 4
    return None


def _modrm(modrm: int, rex: int) -> tuple[int, int, int]:
    """An x86-64 ModRM byte's mod, reg and r/m, reg and r/m extended by the REX prefix's R and B."""
    return modrm >> 6, ((modrm >> 3) & 7) | (8 if rex & 4 else 0), (modrm & 7) | (8 if rex & 1 else 0)


_SYSV_ARGS = (7, 6, 2, 1, 8, 9)  # rdi, rsi, rdx, rcx, r8, r9
_WIN64_ARGS = (1, 2, 8, 9)  # rcx, rdx, r8, r9


def x86_field_getter(data: bytes, off: int, *, win64: bool = False, max_bytes: int = 192
                     ) -> dict[int, int] | None:
    """{argument: field offset} of an x86-64 getter that copies 32-bit fields of the object in its
    first argument through its next ones (``FT_Library_Version(lib, &major, &minor, &patch)``:
    ``mov r11d, [rdi+8]; mov r10d, [rdi+0xc]; mov eax, [rdi+0x10]; mov [rsi], r11d`` ...), to its
    first ``ret``; NULL checks allowed. An unoptimised build's frame is followed too: arguments
    spilled to [rbp - n] and loaded back, fields copied through locals. Arguments are numbered
    from 1 (the first pointer out). None for anything else."""
    args = _WIN64_ARGS if win64 else _SYSV_ARGS
    obj, outs = args[0], {r: i + 1 for i, r in enumerate(args[1:])}
    # what a register or a frame slot holds: ("ptr", argument register) or ("field", offset)
    holds: dict[int, tuple[str, int]] = {r: ("ptr", r) for r in args}
    slots: dict[int, tuple[str, int]] = {}
    out: dict[int, int] = {}
    pos, end = off, min(off + max_bytes, len(data))
    while pos < end:
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):  # endbr64
            pos += 4
            continue
        if data[pos] in (0x55, 0x5D, 0x90, 0xC9):  # push rbp, pop rbp, nop, leave
            pos += 1
            continue
        rex = data[pos] if 0x40 <= data[pos] <= 0x4F else 0
        at = pos + (1 if rex else 0)
        if at + 2 > end:
            return None
        op, modrm = data[at], data[at + 1]
        mod, reg, rm = _modrm(modrm, rex)
        frame = mod == 1 and rm == 5  # [rbp + d8]
        if (op in (0x74, 0x75) and not rex) or (op == 0x85 and mod == 3):
            pos = at + 2  # je/jne short (a NULL check's skip), test r, r
        elif op == 0xC3 and not rex:  # ret
            return out if len(out) >= 2 else None
        elif op == 0xEB and not rex and data[at + 1] < 0x80:
            # jmp short forward, over the NULL object's zeros (MSVC loads the fields first, then
            # jumps past 'xor r11d, r11d; xor eax, eax...' to the stores)
            pos = at + 2 + data[at + 1]
        elif op == 0x89 and mod == 3 and reg == 4 and rm == 5 and rex & 8:  # mov rbp, rsp
            pos = at + 2
        elif op == 0x83 and mod == 3 and rm == 4 and modrm & 0x38 == 0x28 and rex & 8:  # sub rsp, imm8
            pos = at + 3
        elif op == 0x83 and frame and modrm & 0x38 == 0x38 and rex & 8:  # cmp qword [rbp+d8], imm8
            pos = at + 4
        elif op == 0xC7 and frame and modrm & 0x38 == 0 and at + 7 <= end:  # mov [rbp+d8], imm32
            slots.pop(struct.unpack_from("<b", data, at + 2)[0], None)
            pos = at + 7
        elif op == 0x89 and frame:  # mov [rbp+d8], r: a spill
            held = holds.get(reg)
            d8 = struct.unpack_from("<b", data, at + 2)[0]
            if held is not None and (held[0] == "ptr") == bool(rex & 8):
                slots[d8] = held
            else:
                slots.pop(d8, None)
            pos = at + 3
        elif op == 0x8B and frame:  # mov r, [rbp+d8]: back from the frame
            held = slots.get(struct.unpack_from("<b", data, at + 2)[0])
            if held is not None and (held[0] == "ptr") == bool(rex & 8):
                holds[reg] = held
            else:
                holds.pop(reg, None)
            pos = at + 3
        elif op == 0x8B and mod == 1 and modrm & 7 != 4 and not rex & 8:  # mov r32, [base + d8]
            if holds.get(rm) == ("ptr", obj):
                holds[reg] = ("field", struct.unpack_from("<b", data, at + 2)[0])
            else:
                holds.pop(reg, None)
            pos = at + 3
        elif op == 0x89 and mod == 0 and modrm & 7 not in (4, 5) and not rex & 8:  # mov [ptr], r32
            target, value = holds.get(rm), holds.get(reg)
            if target is None or target[0] != "ptr" or target[1] not in outs or value is None \
                    or value[0] != "field" or outs[target[1]] in out:
                return None
            out[outs[target[1]]] = value[1]
            pos = at + 2
        else:
            return None
    return None


def x86_constant_fields(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, size: int = 0,
                        max_bytes: int = 512) -> dict[int, list[tuple[int, int]]]:
    """The 32-bit constants an x86-64 function stores into fields of objects, as
    ``aarch64_constant_fields`` gives them ({field offset: [(base register, value)]}): ``mov dword
    [base + d8], imm32``, and an 8-byte constant loaded from the file (``mov r64, [rip + d32]``)
    or built (``movabs``) then stored whole (``mov [base + d8], r64``: two fields) within a few
    instructions. Read over the function's bytes (its symbol's size, else ``max_bytes``), byte by
    byte where nothing is recognised, past a recognised instruction whole (its REX-less tail is
    no second store)."""
    end = min(off + (size if 0 < size <= 4096 else max_bytes), len(data))
    out: dict[int, list[tuple[int, int]]] = {}
    qwords: dict[int, tuple[int, int]] = {}  # register -> (value, offset where it was set)

    def field(at: int, base: int, value: int) -> None:
        out.setdefault(at, []).append((base, value & 0xFFFFFFFF))

    pos = off
    while pos + 3 <= end:
        rex = data[pos] if 0x40 <= data[pos] <= 0x4F else 0
        at = pos + (1 if rex else 0)
        op = data[at]
        modrm = data[at + 1] if at + 1 < end else 0
        mod, reg, rm = _modrm(modrm, rex)
        if op == 0xC7 and mod == 1 and modrm & 0x38 == 0 and modrm & 7 != 4 and not rex & 8 \
                and at + 7 <= end:  # mov dword [base + d8], imm32
            field(struct.unpack_from("<b", data, at + 2)[0], rm, struct.unpack_from("<I", data, at + 3)[0])
            pos = at + 7
            continue
        elif rex & 8 and op == 0x8B and modrm & 0xC7 == 0x05 and at + 6 <= end:  # mov r64, [rip + d32]
            src = info.offset_of(vaddr + (at + 6 - off) + struct.unpack_from("<i", data, at + 2)[0])
            if src is not None and src + 8 <= len(data):
                qwords[reg] = (int.from_bytes(data[src:src + 8], "little"), pos)
            pos = at + 6
            continue
        elif rex & 8 and 0xB8 <= op <= 0xBF and at + 9 <= end:  # movabs r64, imm64
            qwords[(op - 0xB8) | (8 if rex & 1 else 0)] = (struct.unpack_from("<Q", data, at + 1)[0], pos)
            pos = at + 9
            continue
        elif rex & 8 and op == 0x89 and mod == 1 and modrm & 7 != 4 and reg in qwords \
                and pos - qwords[reg][1] <= 32:  # mov [base + d8], r64 shortly after the constant
            d8 = struct.unpack_from("<b", data, at + 2)[0]
            field(d8, rm, qwords[reg][0])
            field(d8 + 4, rm, qwords[reg][0] >> 32)
            pos = at + 3
            continue
        pos += 1
    return out


def aarch64_constant_fields(data: bytes, off: int, vaddr: int, info: BinaryInfo, *, max_ins: int = 160
                            ) -> dict[int, list[tuple[int, int]]]:
    """The 32-bit constants an arm64 function stores into fields of objects (``str wN, [xB, #off]``,
    ``str d0, [xB, #off]`` of an 8-byte constant loaded from the file: two fields), down to its
    first ``ret``: {field offset: [(base register, value)]}. Branches are read through (a
    constructor's error paths skip its stores); a call forgets every register, and any instruction
    not modelled forgets the registers it may write, so a stored value is always one the code put
    there."""
    regs: dict[int, int] = {}  # x0-x30 as 0-30, d0-d31 as 32-63
    addrs: dict[int, int] = {}
    out: dict[int, list[tuple[int, int]]] = {}
    beyond = 0  # the furthest address a branch read so far jumps to
    pos = off
    for _ in range(max_ins):
        if pos < 0 or pos + 4 > len(data):
            break
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + (pos - off)
        rd, rn, rt2 = ins & 0x1F, (ins >> 5) & 0x1F, (ins >> 10) & 0x1F
        beyond = max(beyond, _branch_target(ins, pc) or 0)
        if ins in (0xD65F03C0, 0xD65F0BFF):  # ret
            if beyond <= pc:
                break
            # an early return (FT_New_Library's argument checks, in JDK's FreeType, come before
            # its stores): the code after it is reached only by a branch, nothing known holds
            regs.clear()
            addrs.clear()
            pos += 4
            continue
        if _constant_step(ins, pc, data, info, regs, addrs):
            pass
        elif ins & 0xBFC00000 == 0xB9000000 or ins & 0xFFC00000 == 0xFD000000:  # str wt/xt/dt, [xn, #uimm]
            size = 8 if ins & 0xFFC00000 in (0xF9000000, 0xFD000000) else 4
            reg = 32 + rd if ins & 0xFFC00000 == 0xFD000000 else rd
            val = 0 if reg == 31 else regs.get(reg)
            if rn != 31 and val is not None:
                at = ((ins >> 10) & 0xFFF) * size
                for i in range(size // 4):
                    out.setdefault(at + 4 * i, []).append((rn, (val >> (32 * i)) & 0xFFFFFFFF))
        elif ins & 0xFC000000 == 0x94000000 or ins & 0xFFFFFC1F == 0xD63F0000:  # bl / blr: a call
            regs.clear()
            addrs.clear()
        elif ins & 0x7C000000 == 0x14000000 or ins & 0x7E000000 == 0x34000000 or \
                ins & 0xFF000010 == 0x54000000 or ins & 0xFFFFF01F == 0xD503201F:
            pass  # branches (read through), hints
        else:
            for r in (rd, rn, rt2):  # whatever else it writes is no longer known
                regs.pop(r, None)
                regs.pop(32 + r, None)
                addrs.pop(r, None)
        pos += 4
    return out


def stored_version(data: bytes, off: int, vaddr: int) -> list[int] | None:
    """The integers an arm64 function stores through its first arguments, in order, when it does
    nothing else (``zmq_version``): at least two, to ``ret``."""
    stores, complete = aarch64_stores(data, off, vaddr)
    if not complete or len(stores) < 2 or sorted(stores) != list(range(len(stores))):
        return None
    vals = [stores[i] for i in range(len(stores))]
    if any(v is None or v[0] != "int" for v in vals):
        return None
    return [v[1] for v in vals]  # type: ignore[index]


def _aarch64(data: bytes, off: int, vaddr: int) -> tuple[str, int | None]:
    """movz/movk into w0/x0, or adrp+add into x0, then ret (paciasp/bti allowed).

    An optional out-parameter in x0 (``const char *f(int *v) { if (v) *v = N; return "1.2.3"; }``,
    c-ares' ``ares_version``) is allowed: ``cbz x0`` forward, a constant built in a scratch
    register and stored through x0; the store is not the answer, only x0 at ``ret`` is."""
    reg: int | None = None
    addr: int | None = None
    kind = "none"
    scratch: set[int] = set()  # w8..w17 holding a constant for the out-parameter store
    page_reg, page = -1, None  # x8..x17 holding a page (adrp) that a pointer is loaded from
    for i in range(12):
        pos = off + 4 * i
        if pos + 4 > len(data):
            break
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + 4 * i
        if ins in (0xD503233F, 0xD503245F, 0xD503241F, 0xD503201F):  # paciasp, bti c, bti, nop
            continue
        if ins == 0xD65F03C0 or ins == 0xD65F0BFF:  # ret / retaa
            if kind == "int":
                return "int", reg
            if kind in ("addr", "ptr"):
                return kind, addr
            return "none", None
        rd = ins & 0x1F
        op = ins & 0x7F800000
        if kind == "none" and ins & 0x7F000000 == 0x34000000 and rd == 0 and (ins >> 5) & 0x7FFFF \
                and not (ins >> 23) & 1:
            continue  # cbz w0/x0, forward: skips only the out-parameter store
        if 8 <= rd <= 17 and kind == "none":
            if op == 0x52800000 or (op == 0x72800000 and rd in scratch):  # movz/movk w8..w17
                scratch.add(rd)
                continue
            if ins & 0x9F000000 == 0x90000000 and not scratch:  # adrp x8..x17, page: a pointer's page
                page_reg, page = rd, _adrp_page(ins, pc)
                continue
            if ins & 0xBFC003E0 == 0xB9000000 and rd in scratch:  # str w8..w17, [x0, #imm]
                continue
            return "none", None
        if rd != 0:
            return "none", None
        hw = (ins >> 21) & 3
        imm16 = (ins >> 5) & 0xFFFF
        if op == 0x52800000:  # movz w0
            reg, kind = imm16 << (16 * hw), "int"
        elif op == 0x72800000 and reg is not None:  # movk w0
            reg = (reg & ~(0xFFFF << (16 * hw))) | (imm16 << (16 * hw))
        elif ins & 0x9F000000 == 0x90000000:  # adrp x0, page
            immlo = (ins >> 29) & 3
            immhi = (ins >> 5) & 0x7FFFF
            imm = (immhi << 2) | immlo
            if imm & (1 << 20):
                imm -= 1 << 21
            addr, kind = (pc & ~0xFFF) + (imm << 12), "addr"
        elif ins & 0xFFC003E0 == 0x91000000 and addr is not None:  # add x0, x0, #imm12
            addr += (ins >> 10) & 0xFFF
        elif ins & 0x9F000000 == 0x10000000:  # adr x0
            immlo = (ins >> 29) & 3
            immhi = (ins >> 5) & 0x7FFFF
            imm = (immhi << 2) | immlo
            if imm & (1 << 20):
                imm -= 1 << 21
            addr, kind = pc + imm, "addr"
        elif ins & 0xFFC00000 == 0xF9400000 and kind in ("none", "addr") and \
                (ins >> 5) & 0x1F == (page_reg if kind == "none" else 0) and \
                (kind == "addr" or page is not None):
            # ldr x0, [xN, #imm12*8] after adrp xN: a pointer kept in data (twolame's
            # get_twolame_version() returns the pointer its version variable holds)
            base = page if kind == "none" else addr
            addr, kind = base + ((ins >> 10) & 0xFFF) * 8, "ptr"
        else:
            return "none", None
    return "none", None


# a value in the arm64 path reader: ("int", n) a constant, ("addr", a) an address in the file,
# ("sp", d) the stack pointer at entry + d, ("arg", i) an argument's unknown value; None: unknown
_Val = tuple[str, int] | None
_SP = 32  # the stack pointer's slot in the register file (register 31 is sp or zr by instruction)
_MASK64 = (1 << 64) - 1


def _cond(cond: int, flags: tuple[int, int, int, int]) -> bool:
    n, z, c, v = flags
    base = (z == 1, c == 1, n == 1, v == 1, c == 1 and z == 0, n == v, z == 0 and n == v, True)[cond >> 1]
    return base if cond & 1 == 0 or cond == 15 else not base


def _aarch64_paths(data: bytes, off: int, vaddr: int, *, max_paths: int = 8,
                   max_steps: int = 160) -> tuple[str, int | None]:
    """What an arm64 function returns on every path it can take, its arguments unknown.

    Straight-line code over registers and its own stack frame (``-O0`` code stores a value in a
    stack slot and loads it back before ``ret``), with branches: a condition on an argument
    (``nghttp2_version(int least_version)``: ``cmp w0, w9; csel x0, xzr, x8, gt``) makes two paths,
    followed both. The answer is the one value every path returns; or, when the paths differ only
    by an argument's check, the one address the paths that do not return NULL return (the x86-64
    reader's "NULL alternative"). Any instruction not modelled here (a call, a load from memory
    other than the frame, an indirect branch) makes the answer None: unknown, never a guess."""
    regs: dict[int, _Val] = {i: ("arg", i) for i in range(8)}
    regs[_SP] = ("sp", 0)
    states: list[tuple[int, dict[int, _Val], dict[int, tuple[int, _Val]], tuple | None]] = \
        [(off, regs, {}, None)]
    results: list[_Val] = []
    forked = False
    steps = 0
    while states:
        pos, regs, stack, flags = states.pop()
        while True:
            steps += 1
            if steps > max_steps or pos < 0 or pos + 4 > len(data):
                return "none", None
            (ins,) = struct.unpack_from("<I", data, pos)
            pc = vaddr + (pos - off)
            nxt = pos + 4
            rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
            sf = ins >> 31

            def get(r: int, sp: bool = False, regs: dict = regs, sf: int = sf) -> _Val:
                if r == 31:
                    return regs.get(_SP) if sp else ("int", 0)
                val = regs.get(r)
                if val is None or sf or val[0] == "arg":
                    return val
                return ("int", val[1] & 0xFFFFFFFF) if val[0] == "int" else None

            def put(r: int, val: _Val, sp: bool = False, regs: dict = regs, sf: int = sf) -> None:
                if r == 31 and not sp:
                    return
                if val is not None and not sf and val[0] != "arg":
                    val = ("int", val[1] & 0xFFFFFFFF) if val[0] == "int" else None
                regs[_SP if r == 31 else r] = val

            if ins & 0xFFFFF01F == 0xD503201F:  # hints: nop, paciasp, autiasp, bti
                pos = nxt
                continue
            if ins in (0xD65F03C0, 0xD65F0BFF):  # ret / retaa
                results.append(regs.get(0))
                break
            if ins & 0x7F800000 in (0x52800000, 0x12800000):  # movz / movn
                imm = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
                put(rd, ("int", imm if ins & 0x40000000 else ~imm & _MASK64))
            elif ins & 0x7F800000 == 0x72800000:  # movk
                old, shift = get(rd), 16 * ((ins >> 21) & 3)
                put(rd, ("int", (old[1] & ~(0xFFFF << shift)) | (((ins >> 5) & 0xFFFF) << shift))
                    if old is not None and old[0] == "int" else None)
            elif ins & 0x9F000000 in (0x90000000, 0x10000000):  # adrp / adr
                imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
                if imm & (1 << 20):
                    imm -= 1 << 21
                regs[rd] = ("addr", (pc & ~0xFFF) + (imm << 12)) if ins >> 31 else ("addr", pc + imm)
            elif ins & 0x7FE0FFE0 == 0x2A0003E0:  # mov rd, rm (orr rd, zr, rm)
                put(rd, get((ins >> 16) & 0x1F))
            elif ins & 0x1F000000 == 0x11000000 or ins & 0x1F200000 == 0x0B000000:
                # add/sub (immediate, or shifted register), setting flags or not
                sub, setf = (ins >> 30) & 1, (ins >> 29) & 1
                a = get(rn, sp=ins & 0x1F000000 == 0x11000000)
                if ins & 0x1F000000 == 0x11000000:
                    b: _Val = ("int", ((ins >> 10) & 0xFFF) << (12 if (ins >> 22) & 1 else 0))
                else:
                    b = get((ins >> 16) & 0x1F)
                    shift, amount = (ins >> 22) & 3, (ins >> 10) & 0x3F
                    if b is not None and (shift or amount):
                        b = ("int", (b[1] << amount) & _MASK64) if shift == 0 and b[0] == "int" else None
                width = 64 if sf else 32
                mask = (1 << width) - 1
                out: _Val = None
                if a is not None and b is not None and b[0] == "int":
                    if a[0] in ("int", "addr", "sp"):
                        raw = a[1] - b[1] if sub else a[1] + b[1]
                        out = (a[0], raw & mask) if a[0] != "sp" else ("sp", raw)
                elif a is not None and b is not None and a[0] == "int" and b[0] in ("addr",) and not sub:
                    out = ("addr", (a[1] + b[1]) & mask)
                if setf:
                    if a is not None and b is not None and a[0] in ("int", "addr") and b[0] == "int":
                        x, y = a[1] & mask, b[1] & mask
                        yy = (~y & mask) if sub else y
                        total = x + yy + (1 if sub else 0)
                        res = total & mask
                        sign = 1 << (width - 1)
                        flags = (int(bool(res & sign)), int(res == 0), int(total > mask),
                                 int(bool(~(x ^ yy) & (x ^ res) & sign)))
                    else:
                        flags = None
                put(rd, out, sp=not setf and ins & 0x1F000000 == 0x11000000)
            elif ins & 0x7FE00800 == 0x1A800000:  # csel / csinc (bit 30: csinv / csneg)
                cond = (ins >> 12) & 0xF
                inc, inv = (ins >> 10) & 1, (ins >> 30) & 1
                a, b = get(rn), get((ins >> 16) & 0x1F)
                if b is not None and b[0] == "int" and (inc or inv):
                    mask = _MASK64 if sf else 0xFFFFFFFF
                    b = ("int", ((~b[1] if inv else b[1]) + inc) & mask) if not (inc and inv) else \
                        ("int", -b[1] & mask)
                elif inc or inv:
                    b = None
                if flags is None:
                    if cond >> 1 == 7:  # always
                        put(rd, a)
                    else:
                        forked = True  # a condition on an argument: both values
                        other = dict(regs)
                        put(rd, b, regs=other)
                        states.append((nxt, other, dict(stack), None))
                        put(rd, a)
                else:
                    put(rd, a if _cond(cond, flags) else b)
            elif ins >> 30 >= 2 and (ins >> 22) & 3 in (0, 1) and (ins & 0x3F000000 == 0x39000000 or (
                    ins & 0x3F200000 == 0x38000000 and (ins >> 10) & 3 != 2)):
                # str/ldr of a w or x register: unsigned scaled offset, or ldur/stur (unscaled),
                # or pre/post-indexed
                size = 4 << ((ins >> 30) - 2)
                index = 0 if ins & 0x3F000000 == 0x39000000 else (ins >> 10) & 3  # 1 post, 3 pre
                if ins & 0x3F000000 == 0x39000000:
                    disp = ((ins >> 10) & 0xFFF) * size
                else:
                    disp = (ins >> 12) & 0x1FF
                    disp -= 0x200 if disp & 0x100 else 0
                base = get(rn, sp=True, sf=1)
                if index:
                    if base is None or base[0] != "sp":
                        return "none", None
                    regs[_SP if rn == 31 else rn] = ("sp", base[1] + disp)
                    if index == 1:
                        disp = 0
                if (ins >> 22) & 1 == 0:  # store
                    if base is not None and base[0] == "arg":
                        pass  # a store through an argument: an out-parameter, not the answer
                    elif base is not None and base[0] == "sp":
                        val = ("int", 0) if rd == 31 else regs.get(rd)
                        if val is not None and size == 4 and val[0] != "arg":
                            val = ("int", val[1] & 0xFFFFFFFF) if val[0] == "int" else None
                        stack[base[1] + disp] = (size, val)
                    else:
                        return "none", None
                else:
                    slot = stack.get(base[1] + disp) if base is not None and base[0] == "sp" else None
                    if slot is None or slot[0] != size:
                        return "none", None  # memory the function did not write itself
                    regs[rd] = slot[1]
            elif ins & 0x7FC00000 in (0x29000000, 0x29800000, 0x28800000) or \
                    ins & 0x7FC00000 in (0x29400000, 0x29C00000, 0x28C00000):
                # stp/ldp of w or x registers: offset, pre-index, post-index (saving callee registers)
                size = 8 if ins >> 31 else 4
                disp = (ins >> 15) & 0x7F
                disp = (disp - 0x80 if disp & 0x40 else disp) * size
                rt2 = (ins >> 10) & 0x1F
                base = get(rn, sp=True, sf=1)
                if base is None or base[0] != "sp":
                    if base is not None and base[0] == "arg" and not (ins >> 22) & 1:
                        pos = nxt  # stores through an argument: out-parameters
                        continue
                    return "none", None
                mode = (ins >> 23) & 3  # 1 post, 2 offset, 3 pre
                at = base[1] + (0 if mode == 1 else disp)
                if (ins >> 22) & 1:
                    slots = stack.get(at), stack.get(at + size)
                    regs[rd] = slots[0][1] if slots[0] and slots[0][0] == size else None
                    regs[rt2] = slots[1][1] if slots[1] and slots[1][0] == size else None
                else:
                    stack[at] = (size, ("int", 0) if rd == 31 else regs.get(rd))
                    stack[at + size] = (size, ("int", 0) if rt2 == 31 else regs.get(rt2))
                if mode != 2:
                    regs[_SP if rn == 31 else rn] = ("sp", base[1] + disp)
            elif ins & 0xFC000000 == 0x14000000:  # b
                imm = ins & 0x3FFFFFF
                nxt = pos + ((imm - (1 << 26) if imm & (1 << 25) else imm) << 2)
            elif ins & 0xFF000010 == 0x54000000:  # b.cond
                imm = (ins >> 5) & 0x7FFFF
                target = pos + ((imm - (1 << 19) if imm & (1 << 18) else imm) << 2)
                cond = ins & 0xF
                if flags is None and cond >> 1 != 7:
                    forked = True
                    states.append((target, dict(regs), dict(stack), None))
                elif flags is None or _cond(cond, flags):
                    nxt = target
            elif ins & 0x7E000000 in (0x34000000, 0x36000000):  # cbz/cbnz, tbz/tbnz
                test = ins & 0x7E000000 == 0x36000000
                if test:
                    imm = (ins >> 5) & 0x3FFF
                    target = pos + ((imm - (1 << 14) if imm & (1 << 13) else imm) << 2)
                    bit = ((ins >> 31) << 5) | ((ins >> 19) & 0x1F)
                    val = get(rd, sf=1)
                    zero = None if val is None or val[0] != "int" else not (val[1] >> bit) & 1
                else:
                    imm = (ins >> 5) & 0x7FFFF
                    target = pos + ((imm - (1 << 19) if imm & (1 << 18) else imm) << 2)
                    val = get(rd)
                    zero = None if val is None or val[0] not in ("int", "addr") else \
                        (val[0] == "int" and val[1] == 0)
                if zero is None:
                    if val is None or val[0] != "arg":
                        return "none", None
                    forked = True
                    states.append((target, dict(regs), dict(stack), flags))
                elif zero != bool((ins >> 24) & 1):  # cbz/tbz on zero, cbnz/tbnz on non-zero
                    nxt = target
            else:
                return "none", None
            pos = nxt
        if len(states) + len(results) > max_paths:
            return "none", None
    if not results or any(r is None or r[0] not in ("int", "addr") for r in results):
        return "none", None
    distinct = set(results)
    if len(distinct) == 1:
        kind, value = results[0]
        return kind, value
    if forked:
        kept = distinct - {("int", 0)}
        if len(kept) == 1 and next(iter(kept))[0] == "addr":
            kind, value = next(iter(kept))
            return kind, value
    return "none", None


# -- integer version encodings ------------------------------------------------

_FIELD = re.compile(r"^(>>|//)(\d+)(?:(&|%)(0x[0-9a-fA-F]+|\d+))?(:hex)?(\?)?$")


def format_int(value: int, fields: list[str]) -> str | None:
    """Format a packed version with field specs like ``">>16&0xff"`` or ``"//10000%100"`` (a
    ``:hex`` suffix reads the field's hex digits as its decimal number; a ``?`` suffix on the last
    field leaves it out when it is 0, for libraries whose x.y.0 releases are named x.y)."""
    if value <= 0:
        return None
    parts = []
    for i, spec in enumerate(fields):
        m = _FIELD.match(spec)
        if not m:
            raise ValueError(f"bad version field spec {spec!r}")
        op, amount, op2, mod, digits, optional = m.groups()
        v = value >> int(amount) if op == ">>" else value // int(amount)
        if op2 == "&":
            v &= int(mod, 0)
        elif op2 == "%":
            v %= int(mod, 0)
        if digits:
            # ":hex": the field's hex digits are the decimal number (libass's 0x01701000 is
            # 0.17.1); a digit above 9 is no such number
            text = f"{v:x}"
            if not text.isdigit():
                return None
            v = int(text)
        if optional and v == 0 and i == len(fields) - 1:
            break
        parts.append(str(v))
    return ".".join(parts)


# -- "check version" functions, read on their NULL-argument path --------------------------------

def null_arg_returned(data: bytes, info: BinaryInfo, sym: Symbol) -> int | None:
    """The address ``const char *f(const char *req)`` returns when ``req`` is NULL, for the
    ``if (!req || strverscmp(req, VERSION) <= 0) return VERSION;`` shape that GNU libraries use for
    ``*_check_version``: registers loaded with constant addresses, the branch on the first
    argument taken, a register copied to the result, ``ret``. Anything else: None."""
    if sym.offset < 0 or sym.offset >= len(data):
        return None
    if info.machine == "aarch64":
        return _aarch64_null_path(data, sym.offset, sym.vaddr)
    if info.machine == "x86_64":
        return _x86_null_path(data, sym.offset, sym.vaddr, win64=info.format == "pe")
    return None


def _aarch64_null_path(data: bytes, off: int, vaddr: int) -> int | None:
    regs: dict[int, int] = {}
    pos = off
    for _ in range(24):
        if pos + 4 > len(data) or pos < off:
            return None
        (ins,) = struct.unpack_from("<I", data, pos)
        pc = vaddr + (pos - off)
        pos += 4
        rd, rn = ins & 0x1F, (ins >> 5) & 0x1F
        if ins in (0xD503233F, 0xD503245F, 0xD503241F, 0xD503201F, 0xD50323BF):
            continue  # paciasp, bti c, bti, nop, autiasp
        if ins & 0xFFC00000 in (0xA9000000, 0xA9800000, 0xA8800000) and rn == 31:
            continue  # stp: saving registers on the stack
        if ins & 0xFFC00000 in (0xA9400000, 0xA9C00000, 0xA8C00000) and rn == 31:
            if 0 in (rd, (ins >> 10) & 0x1F):
                return None
            regs.pop(rd, None)  # ldp: the caller's registers restored
            regs.pop((ins >> 10) & 0x1F, None)
            continue
        if ins & 0xFFC003FF == 0x910003FD or ins & 0xFF0003FF == 0xD10003FF:
            continue  # add x29, sp, #imm / sub sp, sp, #imm
        if ins == 0xD65F03C0 or ins == 0xD65F0BFF:  # ret / retaa
            return regs.get(0)
        if ins & 0x1F000000 == 0x10000000:  # adrp xd, page / adr xd, label (Apple's linker)
            imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
            if imm & (1 << 20):
                imm -= 1 << 21
            regs[rd] = (pc & ~0xFFF) + (imm << 12) if ins >> 31 else pc + imm
        elif ins & 0xFFC00000 == 0x91000000 and rd == rn and rd in regs:  # add xd, xd, #imm12
            regs[rd] += (ins >> 10) & 0xFFF
        elif ins & 0xFF000000 == 0xB4000000 and rd == 0 and not (ins >> 23) & 1:
            pos = pos - 4 + (((ins >> 5) & 0x7FFFF) << 2)  # cbz x0, forward: the NULL argument's path
        elif ins & 0xFFE0FFE0 == 0xAA0003E0 and ((ins >> 16) & 0x1F) in regs:  # mov xd, xm
            regs[rd] = regs[(ins >> 16) & 0x1F]
        else:
            return None
    return None


def _x86_null_path(data: bytes, off: int, vaddr: int, *, win64: bool) -> int | None:
    arg = 1 if win64 else 7  # rcx / rdi
    regs: dict[int, int] = {}
    pos, end = off, min(off + 96, len(data))
    for _ in range(24):
        if pos >= end or pos < off:
            return None
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
        elif 0x50 <= b <= 0x5F:  # push/pop of a low register
            if b == 0x58:
                return None
            if b > 0x58:
                regs.pop(b - 0x58, None)  # the caller's register restored
            pos += 1
        elif b == 0x41 and 0x50 <= data[pos + 1] <= 0x5F:  # push/pop r8..r15
            if data[pos + 1] > 0x57:
                regs.pop(data[pos + 1] - 0x50, None)  # (pop r12: 8 + 4)
            pos += 2
        elif b == 0x40 and 0x50 <= data[pos + 1] <= 0x5F:
            pos += 1  # an empty REX before a push/pop of a low register (MSVC's "rex push rbx")
        elif _at(data, pos, b"\x48\x83\xec") or _at(data, pos, b"\x48\x83\xc4"):  # sub/add rsp, imm8
            pos += 4
        elif b in (0x48, 0x4C) and data[pos + 1] == 0x8D and data[pos + 2] & 0xC7 == 0x05:
            # lea r64, [rip+d] (REX.R: r8..r15, GnuTLS's "lea VERSION, %r12")
            disp = struct.unpack_from("<i", data, pos + 3)[0]
            reg = ((data[pos + 2] >> 3) & 7) | (8 if b & 4 else 0)
            pos += 7
            regs[reg] = vaddr + (pos - off) + disp
        elif b == 0x48 and data[pos + 1] == 0x85 and data[pos + 2] == 0xC0 | (arg << 3) | arg:
            pos += 3  # test arg, arg
            if data[pos] == 0x74:  # je rel8: the NULL argument's path
                pos += 2 + struct.unpack_from("<b", data, pos + 1)[0]
            elif _at(data, pos, b"\x0f\x84"):
                pos += 6 + struct.unpack_from("<i", data, pos + 2)[0]
            else:
                return None
        elif 0x48 <= b <= 0x4F and data[pos + 1] in (0x89, 0x8B) and data[pos + 2] >> 6 == 3:
            # mov r64, r64 (REX.R extends the reg field, REX.B the r/m field)
            reg = ((data[pos + 2] >> 3) & 7) | (8 if b & 4 else 0)
            rm = (data[pos + 2] & 7) | (8 if b & 1 else 0)
            dst, src = (rm, reg) if data[pos + 1] == 0x89 else (reg, rm)
            if src not in regs:
                return None
            regs[dst] = regs[src]
            pos += 3
        elif b == 0xC3:
            return regs.get(0)
        else:
            return None
    return None


# -- constants the code loads right after another ------------------------------------------

_LEA_RIP = re.compile(rb"[\x48\x4c]\x8d[\x05\x0d\x15\x1d\x25\x2d\x35\x3d]")  # lea r64, [rip + d32]
_RIP_MODRM = frozenset(b"\x05\x0d\x15\x1d\x25\x2d\x35\x3d")


def _file_vaddr(data: bytes | mmap.mmap, info: BinaryInfo, off: int) -> int | None:
    """The virtual address of file offset ``off`` (PE sections, ELF64 PT_LOAD segments)."""
    try:
        if info.format == "pe":
            (pe_off,) = struct.unpack_from("<I", data, 0x3C)
            nsect, opt_size = struct.unpack_from("<H12xH", data, pe_off + 6)
            opt = pe_off + 24
            pe32plus = struct.unpack_from("<H", data, opt)[0] == 0x20B
            image_base = struct.unpack_from("<Q" if pe32plus else "<I", data,
                                            opt + (24 if pe32plus else 28))[0]
            for i in range(min(nsect, 96)):
                va, rsize, roff = struct.unpack_from("<III", data, opt + opt_size + 40 * i + 12)
                if roff <= off < roff + rsize:
                    return image_base + va + off - roff
        elif info.format == "elf" and data[4] == 2 and data[5] == 1:  # ELF64, little-endian
            phoff, = struct.unpack_from("<Q", data, 0x20)
            phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
            for i in range(min(phnum, 64)):
                p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                    "<IIQQQQ", data, phoff + i * phentsize)
                if p_type == 1 and p_offset <= off < p_offset + p_filesz:
                    return p_vaddr + off - p_offset
    except (struct.error, IndexError):
        return None
    return None


_LEA_CHUNK = 1 << 16


def _leas_to(data: bytes | mmap.mmap, lo: int, hi: int, bases: list[int]) -> Iterator[int]:
    """The file offsets p in [lo, hi), in order, of ``lea r64, [rip + disp]`` instructions whose
    ``p + disp`` may be one of ``bases``. Within 64 KiB of code the displacement to a fixed
    address has one or two values of its upper 16 bits, the lea's last two bytes: each chunk is
    searched for those bytes (a literal search), and the opcode before them checked. The regex
    over every lea of a file ran at about 100 MB/s; this finds the few candidates, each then
    checked exactly by the caller."""
    for c0 in range(lo, hi, _LEA_CHUNK):
        c1 = min(c0 + _LEA_CHUNK, hi)
        found: list[int] = []
        for high in {((b - p) & 0xFFFFFFFF) >> 16 for b in bases for p in (c0, c1 - 1)}:
            tail = struct.pack("<H", high)
            i = data.find(tail, c0 + 5, min(c1 + 6, hi))
            while i != -1:
                p = i - 5
                if data[p] in (0x48, 0x4C) and data[p + 1] == 0x8D and data[p + 2] in _RIP_MODRM:
                    found.append(p)
                i = data.find(tail, i + 1, min(c1 + 6, hi))
        yield from sorted(found)


# an argument of 0x70 (a 64-bit z_stream's size) set up for a call: into a register (mov r32, imm32)
# or a stack slot (mov dword/qword [rsp + d8], imm32; push imm8)
_SIZE_0X70 = re.compile(rb"(?:[\xb9\xba]|\x41[\xb8\xb9])\x70\x00\x00\x00"
                        rb"|(?:\x48)?\xc7\x44\x24[\x00-\x7f]\x70\x00\x00\x00|\x6a\x70", re.S)


def x86_versions_passed_with_size(data: bytes | mmap.mmap, info: BinaryInfo,
                                  texts: dict[int, str]) -> Counter[str]:
    """Per text (``texts``: file offset -> text), how many x86-64 call sites load its address and
    set another argument to 0x70 (a 64-bit ``z_stream``'s size) within the 32 bytes before the
    call that follows: zlib's ``inflateInit2_(strm, bits, ZLIB_VERSION, sizeof(z_stream))`` and its
    siblings, which every caller of zlib makes with the version of the zlib.h it was built with.
    PE and ELF."""
    out: Counter[str] = Counter()
    span = _x86_text(data, info) if texts else None
    if span is None:
        return out
    lo, size, delta = span
    wanted = {va: t for f, t in texts.items() if (va := _file_vaddr(data, info, f)) is not None}
    for p in _leas_to(data, lo, lo + size, [va - delta for va in wanted]):
        (disp,) = struct.unpack_from("<i", data, p + 3)
        text = wanted.get(p + delta + disp)
        if text is None:
            continue
        call = data.find(b"\xe8", p + 7, p + 40)
        while call != -1 and _SIZE_0X70.search(bytes(data[max(lo, p - 32):call])) is None:
            call = data.find(b"\xe8", call + 1, p + 40)
        if call != -1:
            out[text] += 1
    return out


def _x86_text(data: bytes | mmap.mmap, info: BinaryInfo) -> tuple[int, int, int] | None:
    """(file offset, size, delta) of an x86-64 PE or ELF file's ``.text``, where a ``lea r64,
    [rip + disp]`` at file offset p loads the virtual address ``p + delta + disp``; None for
    any other file."""
    if info.machine != "x86_64" or info.format not in ("pe", "elf"):
        return None
    text = info.sections.get(".text")
    if text is None:
        return None
    lo, size = text
    text_va = _file_vaddr(data, info, lo)
    if text_va is None:
        return None
    return lo, size, text_va - lo + 7


_SSE_LOAD = frozenset((0x10, 0x28))  # movups / movaps xmm, m128 (0f 10, 0f 28)


def _rip_refs_to(data: bytes | mmap.mmap, lo: int, hi: int, base: int,
                 vas: set[int]) -> Iterator[tuple[int, int]]:
    """(start, end) file offsets, in order, of the x86-64 instructions in [lo, hi) that load one
    of the virtual addresses ``vas`` rip-relatively, where file offset x is at ``x + base``:
    ``lea r64, [rip + d]`` and the 16-byte copies a compiler makes of a constant text
    (``movups``/``movaps`` and ``movdqu``/``movdqa xmm, [rip + d]``). The upper 16 bits of the
    displacement are searched literally per 64 KiB chunk (as ``_leas_to`` does), each candidate
    then checked exactly."""
    for c0 in range(lo, hi, _LEA_CHUNK):
        c1 = min(c0 + _LEA_CHUNK, hi)
        found: set[tuple[int, int]] = set()
        # e: the instruction's end (the displacement is the 4 bytes before it)
        for high in {((va - base - e) & 0xFFFFFFFF) >> 16 for va in vas for e in (c0 + 7, c1 + 9)}:
            tail = struct.pack("<H", high)
            i = data.find(tail, c0 + 5, min(c1 + 9, hi + 2))
            while i != -1:
                e = i + 2
                (disp,) = struct.unpack_from("<i", data, e - 4)
                if e + base + disp in vas and data[e - 5] in _RIP_MODRM:
                    op, before = data[e - 6], data[e - 7]
                    start = None
                    if op == 0x8D and before in (0x48, 0x4C):
                        start = e - 7
                    elif op in _SSE_LOAD and before == 0x0F:
                        start = e - 8 if 0x40 <= data[e - 8] <= 0x4F else e - 7
                    elif op == 0x6F and before == 0x0F:  # movdqu / movdqa: f3 / 66 [rex] 0f 6f
                        rex = 0x40 <= data[e - 8] <= 0x4F
                        if data[e - 9 if rex else e - 8] in (0x66, 0xF3):
                            start = e - 9 if rex else e - 8
                    if start is not None and start >= lo:
                        found.add((start, e))
                i = data.find(tail, i + 1, min(c1 + 9, hi + 2))
        yield from sorted(found)


def _called_text(data: bytes | mmap.mmap, info: BinaryInfo, at: int, base: int, lo: int,
                 hi: int) -> int | None:
    """The file offset of the constant a ``call rel32`` at ``at`` gets back, when the callee is a
    function that only returns a constant's address (``lea rax, [rip + d]; ret``: OpenJPEG's
    ``opj_version()``); else None."""
    (rel,) = struct.unpack_from("<i", data, at + 1)
    target = at + 5 + rel
    if lo <= target <= hi - 5 and data[target] == 0xE9:
        # a jump thunk (MSVC's incremental linking) to the function
        target += 5 + struct.unpack_from("<i", data, target + 1)[0]
    if not lo <= target <= hi - 11:
        return None
    saved = _saved_register(data, target)
    if saved:
        # MSVC's debug build keeps a register around it: push rdi; lea rax, [rip + d]; pop rdi; ret
        if data[target + saved + 7] != data[target + saved - 1] + 8 or data[target + saved + 8] != 0xC3:
            return None
    elif data[target + 7] != 0xC3:
        return None
    if data[target + saved:target + saved + 3] != b"\x48\x8d\x05":
        return None
    (disp,) = struct.unpack_from("<i", data, target + saved + 3)
    return info.offset_of(target + saved + 7 + base + disp)


def _saved_register(data: bytes | mmap.mmap, off: int) -> int:
    """The length of a ``push rbx|rsi|rdi`` (with or without an empty REX prefix) at ``off``, else 0."""
    if data[off] in _SAVED:
        return 1
    if data[off] == 0x40 and data[off + 1] in _SAVED:
        return 2
    return 0


def _arm64_vaddr(data: bytes | mmap.mmap, info: BinaryInfo, off: int) -> int | None:
    """The virtual address of a file offset in an arm64 Mach-O (its segments) or ELF file."""
    return info.vaddr_of(off) if info.format == "macho" else _file_vaddr(data, info, off)


def aarch64_loads_after(data: bytes | mmap.mmap, info: BinaryInfo, targets: list[tuple[int, ...]],
                        *, most: int = 4) -> dict[int, list[int]]:
    """arm64: what :func:`x86_loads_after` gives on x86-64, per (target, window[, before]): the file
    offsets of the constants the code builds with ``adrp``/``add`` within ``window`` bytes after it
    builds the address of the constant at file offset ``target`` (hwloc's "hwlocVersion" key, then
    HWLOC_VERSION), then, with ``before``, those built within that many bytes before, nearest
    first. One pass over the text section's ``adrp`` instructions; an ``add`` must follow its
    ``adrp`` within four instructions."""
    text = info.sections.get("__text") or info.sections.get(".text")
    if info.machine != "aarch64" or text is None or not targets:
        return {}
    lo, size = text
    text_va = _arm64_vaddr(data, info, lo)
    if text_va is None:
        return {}
    wanted: dict[int, tuple[int, int, int]] = {}
    for target, window, *rest in targets:
        va = _arm64_vaddr(data, info, target)
        if va is not None:
            wanted.setdefault(va, (target, window, rest[0] if rest else 0))
    if not wanted:
        return {}
    hi = lo + size - size % 4
    # every adrp/add pair: (file offset of the add, address built)
    built: list[tuple[int, int]] = []
    mv = memoryview(data)[lo:hi]
    for i, (ins,) in enumerate(struct.iter_unpack("<I", mv)):
        if ins & 0x9F000000 != 0x90000000:
            continue
        rd = ins & 0x1F
        imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
        if imm & (1 << 20):
            imm -= 1 << 21
        page = ((text_va + 4 * i) & ~0xFFF) + (imm << 12)
        for j in range(i + 1, min(i + 5, size // 4)):
            (nxt,) = struct.unpack_from("<I", data, lo + 4 * j)
            if nxt & 0xFF800000 == 0x91000000 and (nxt >> 5) & 0x1F == rd and not (nxt >> 22) & 1:
                built.append((lo + 4 * j, page + ((nxt >> 10) & 0xFFF)))
                break
    out: dict[int, list[int]] = {}
    for k, (at, va) in enumerate(built):
        if va not in wanted:
            continue
        target, window, before = wanted[va]
        loads = out.setdefault(target, [])
        for at2, va2 in built[k + 1:]:
            if at2 - at > window or len(loads) >= most:
                break
            off = info.offset_of(va2)
            if off is not None and off != target:
                loads.append(off)
        for at2, va2 in reversed(built[:k]):
            if at - at2 > before or len(loads) >= most:
                break
            off = info.offset_of(va2)
            if off is not None and off != target:
                loads.append(off)
    return out


def x86_loads_after(data: bytes | mmap.mmap, info: BinaryInfo, targets: list[tuple[int, ...]],
                    *, most: int = 4) -> dict[int, list[int]]:
    """x86-64: per (target, window[, before]), the file offsets of the constants that the code
    loads (``lea r64, [rip + d]``, or gets back from a call of a function that only returns a
    constant's address) within ``window`` bytes after a load of the constant at file offset
    ``target`` (a ``lea`` of it or a 16-byte copy of its text), in the order the code loads them:
    the arguments a function passes beside a fixed text (a message's parts, a key and its value).
    Then, with ``before``, the constants ``lea`` loads within that many bytes before the target's
    load, nearest first (a value the compiler loaded ahead: libpng's PNG_LIBPNG_VER_STRING before
    its mismatch message). One pass over ``.text`` serves every target. A target is missing when
    the file is no x86-64 PE or ELF file or no code loads it."""
    span = _x86_text(data, info) if targets else None
    if span is None:
        return {}
    lo, size, delta = span
    base = delta - 7  # file offset x of .text is at virtual address x + base
    wanted: dict[int, tuple[int, int, int]] = {}  # target's virtual address -> (target, window, before)
    for target, window, *rest in targets:
        va = _file_vaddr(data, info, target)
        if va is not None:
            wanted.setdefault(va, (target, window, rest[0] if rest else 0))
    out: dict[int, list[int]] = {}
    ahead: dict[int, list[int]] = {}
    for p, e in _rip_refs_to(data, lo, lo + size, base, set(wanted)):
        (disp,) = struct.unpack_from("<i", data, e - 4)
        target, window, before = wanted[e + base + disp]
        loads = out.setdefault(target, [])
        if len(loads) < most:
            pos, end = e, min(e + window, lo + size)
            while len(loads) < most:
                q = _LEA_RIP.search(data, pos, end)
                upto = q.start() if q is not None else end
                called = None
                i = data.find(b"\xe8", pos, upto)
                while i != -1 and i + 5 <= end:
                    off = _called_text(data, info, i, base, lo, lo + size)
                    if off is not None:
                        called = i
                        break
                    i = data.find(b"\xe8", i + 1, upto)
                if called is not None:
                    loads.append(off)
                    pos = called + 5
                    continue
                if q is None or q.start() + 7 > end:
                    break
                (dq,) = struct.unpack_from("<i", data, q.start() + 3)
                off = info.offset_of(q.start() + delta + dq)
                if off is not None:
                    loads.append(off)
                pos = q.start() + 7
        if before:
            earlier = ahead.setdefault(target, [])
            found = []
            for q in _LEA_RIP.finditer(data, max(lo, p - before), p):
                (dq,) = struct.unpack_from("<i", data, q.start() + 3)
                off = info.offset_of(q.start() + delta + dq)
                if off is not None and q.start() + 7 <= p:
                    found.append(off)
            earlier.extend(reversed(found[-most:]))
    both = {t: out.get(t, []) + ahead.get(t, []) for t in {*out, *ahead}}
    return {t: v for t, v in both.items() if v}


def x86_returned_before(data: bytes | mmap.mmap, info: BinaryInfo, targets: list[int], *,
                        window: int = 48, most: int = 2) -> dict[int, list[int]]:
    """x86-64 PE or ELF: per target (the file offset of a constant), the file offsets of the texts
    returned by the functions the code calls within ``window`` bytes before each load of the
    target (``lea r64, [rip + d]``), when the callee only returns a constant's address (``lea rax,
    [rip + d]; ret``, or a ``jmp`` to such a function) and no other constant is loaded between the
    call and the load: a C extension module setting an attribute from a function of a library
    compiled into it (``PyModule_AddObject(m, "harfbuzz_version",
    PyUnicode_FromString(hb_version_string())))``: the callee's text is the value). A target is
    missing when nothing qualifies."""
    span = _x86_text(data, info) if targets else None
    if span is None:
        return {}
    lo, size, delta = span
    base = delta - 7
    wanted: dict[int, int] = {}
    for target in targets:
        va = _file_vaddr(data, info, target)
        if va is not None:
            wanted.setdefault(va, target)
    out: dict[int, list[int]] = {}
    for p, e in _rip_refs_to(data, lo, lo + size, base, set(wanted)):
        (disp,) = struct.unpack_from("<i", data, e - 4)
        target = wanted[e + base + disp]
        got = out.setdefault(target, [])
        if len(got) >= most:
            continue
        start = max(lo, p - window)
        # no other constant loaded between the call and the target's load
        last_lea = None
        for q in _LEA_RIP.finditer(data, start, p):
            last_lea = q.start() + 7
        floor = last_lea if last_lea is not None else start
        i = data.rfind(b"\xe8", floor, p - 4)
        while i != -1:
            (rel,) = struct.unpack_from("<i", data, i + 1)
            callee = i + 5 + rel
            off = _returned_text(data, info, callee + base) if lo <= callee < lo + size else None
            if off is not None:
                if off not in got:
                    got.append(off)
                break
            i = data.rfind(b"\xe8", floor, i)
    return {t: v for t, v in out.items() if v}


# --- the parts a sibling call stores, in the caller of the function that loads a text (x86-64 PE)

def _pe_function_start(data: bytes | mmap.mmap, info: BinaryInfo, off: int) -> int | None:
    """The file offset where the function holding file offset ``off`` of ``.text`` begins, by the
    PE's exception table; None without one."""
    bounds = _pe_function_bounds(data, info, off)
    return bounds[0] if bounds else None


def _pe_function_bounds(data: bytes | mmap.mmap, info: BinaryInfo, off: int) -> tuple[int, int] | None:
    """The file offsets where the function holding file offset ``off`` of ``.text`` begins and
    ends, by the PE's exception table (``.pdata``: begin, end, unwind RVAs, sorted); None without
    one or outside every entry (a leaf function needs none)."""
    pdata = info.sections.get(".pdata")
    if pdata is None:
        return None
    rva = _pe_rva(data, info, off)
    lo, hi = 0, pdata[1] // 12
    while lo < hi:  # the last entry that begins at or before rva
        mid = (lo + hi) // 2
        if struct.unpack_from("<I", data, pdata[0] + 12 * mid)[0] <= rva:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None
    begin, end = struct.unpack_from("<II", data, pdata[0] + 12 * (lo - 1))
    if not begin <= rva < end:
        return None
    return off - (rva - begin), off + (end - rva)


def _pe_rva(data: bytes | mmap.mmap, info: BinaryInfo, off: int) -> int:
    """The RVA of file offset ``off`` of ``.text`` (its virtual address less the image base)."""
    (pe_off,) = struct.unpack_from("<I", data, 0x3C)
    nsect, opt_size = struct.unpack_from("<H12xH", data, pe_off + 6)
    for i in range(min(nsect, 96)):
        va, rsize, roff = struct.unpack_from("<III", data, pe_off + 24 + opt_size + 40 * i + 12)
        if roff <= off < roff + rsize:
            return va + off - roff
    raise ValueError("not in a section")


def _calls_to(data: bytes | mmap.mmap, lo: int, hi: int, target: int) -> list[int]:
    """The file offsets in [lo, hi) of ``call rel32`` instructions to file offset ``target`` (the
    displacement's upper 16 bits searched literally per 64 KiB chunk, each candidate checked)."""
    out = []
    for c0 in range(lo, hi, _LEA_CHUNK):
        c1 = min(c0 + _LEA_CHUNK, hi)
        for high in {((target - e) & 0xFFFFFFFF) >> 16 for e in (c0 + 5, c1 + 5)}:
            tail = struct.pack("<H", high)
            i = data.find(tail, c0 + 3, min(c1 + 3, hi))
            while i != -1:
                e = i + 2
                if data[e - 5] == 0xE8 and e + struct.unpack_from("<i", data, e - 4)[0] == target:
                    out.append(e - 5)
                i = data.find(tail, i + 1, min(c1 + 3, hi))
    return sorted(set(out))


_STORE_IMM32 = re.compile(rb"\xc7([\x40-\x47])(.)(....)", re.S)  # mov dword [r + d8], imm32


def _stores_at(data: bytes | mmap.mmap, off: int, fields: tuple[int, ...], *, max_bytes: int = 128
               ) -> list[int] | None:
    """The constants that the code from ``off`` stores, one after the other, into dword fields at
    ``fields`` (byte offsets, in order) of one base register (``mov dword [r + d8], imm32``, with
    no other instruction between them): FT_New_Library's version_major/minor/patch."""
    end = min(off + max_bytes, len(data))
    for m in _STORE_IMM32.finditer(data, off, end):
        if m.group(2)[0] != fields[0]:
            continue
        values, pos = [], m.start()
        for want in fields:
            n = _STORE_IMM32.match(data, pos, end)
            if n is None or n.group(1) != m.group(1) or n.group(2)[0] != want:
                break
            values.append(struct.unpack_from("<I", data, n.start() + 3)[0])
            pos = n.end()
        if len(values) == len(fields):
            return values
    return None


def x86_sibling_stores(data: bytes | mmap.mmap, info: BinaryInfo, target: int, fields: tuple[int, ...],
                       *, window: int = 192) -> list[list[int]]:
    """x86-64 PE: the constants stored into ``fields`` (``_stores_at``) by a function that is
    called within ``window`` bytes before a call of the function that loads the constant at file
    offset ``target``: FT_Init_FreeType calls FT_New_Library (which stores FREETYPE_MAJOR, MINOR
    and PATCH into the new library object) a little before FT_Set_Default_Properties (which loads
    "FREETYPE_PROPERTIES"). The functions are found by the PE's exception table."""
    span = _x86_text(data, info) if info.format == "pe" else None
    va = _file_vaddr(data, info, target) if span else None
    if span is None or va is None:
        return []
    lo, size, delta = span
    out: list[list[int]] = []
    for p, _e in _rip_refs_to(data, lo, lo + size, delta - 7, {va}):
        start = _pe_function_start(data, info, p)
        if start is None:
            continue
        for site in _calls_to(data, lo, lo + size, start)[:4]:
            i = data.find(b"\xe8", max(lo, site - window), site)
            while i != -1:
                callee = i + 5 + struct.unpack_from("<i", data, i + 1)[0]
                if lo <= callee < lo + size:
                    values = _stores_at(data, callee, fields)
                    if values is not None and values not in out:
                        out.append(values)
                i = data.find(b"\xe8", i + 1, site)
        if out:
            break
    return out


# --- a function that a table names beside a text (x86-64 PE) ----------------------------------

def _returned_text(data: bytes | mmap.mmap, info: BinaryInfo, va: int) -> int | None:
    """The file offset of the constant that the function at virtual address ``va`` returns, when it
    is ``lea rax, [rip + d]; ret``, or a ``jmp rel32`` to one (a wrapper's tail call); else None."""
    text = info.sections.get(".text")
    for _hop in range(2):
        off = info.offset_of(va)
        if text is None or off is None or not text[0] <= off <= text[0] + text[1] - 8:
            return None
        if data[off] == 0xE9:
            va += 5 + struct.unpack_from("<i", data, off + 1)[0]
            continue
        if data[off:off + 3] != b"\x48\x8d\x05" or data[off + 7] != 0xC3:
            return None
        return info.offset_of(va + 7 + struct.unpack_from("<i", data, off + 3)[0])
    return None


def x86_table_texts(data: bytes | mmap.mmap, info: BinaryInfo, names: list[tuple[int, int]], *,
                    most: int = 4) -> dict[int, list[int]]:
    """x86-64 PE: per (name, step), the file offsets of the constant texts returned by the
    functions whose addresses a table holds ``step`` bytes after a pointer to the text at file
    offset ``name`` (libavif's codec table, {choice, "dav1d", the version function, the create
    function, flags}: step 8). A PE keeps such pointers as absolute addresses in its data."""
    if info.format != "pe" or info.machine != "x86_64":
        return {}
    out: dict[int, list[int]] = {}
    for name, step in names:
        va = _file_vaddr(data, info, name)
        if va is None:
            continue
        needle = struct.pack("<Q", va)
        for lo, hi in info.data_ranges:
            i = data.find(needle, lo, hi)
            while i != -1 and len(out.get(name, ())) < most:
                if i % 8 == 0 and i + step + 8 <= hi:
                    off = _returned_text(data, info, struct.unpack_from("<Q", data, i + step)[0])
                    if off is not None:
                        out.setdefault(name, []).append(off)
                i = data.find(needle, i + 1, hi)
    return out


def pe_tagged_records(data: bytes | mmap.mmap, info: BinaryInfo, tags: list[tuple[int, int]], *,
                      most: int = 4) -> dict[int, list[int]]:
    """64-bit PE: per (tag, step), the file offsets of the version texts of the static records
    whose pointer to the text at file offset ``tag`` has, ``step`` bytes before it, a pointer to a
    text, when a uint32 of the record's 8 bytes before that pointer packs the text's numbers as
    0xMMmmpp (nghttp2's {age, version_num, version_str, proto_str "h2"}, which nghttp2_version()
    returns: step 8). A PE keeps such pointers as absolute addresses in its data; a record whose
    number and text disagree, or any other use of the tag text, gives nothing."""
    if info.format != "pe" or info.machine != "x86_64":
        return {}
    out: dict[int, list[int]] = {}
    for tag, step in tags:
        va = _file_vaddr(data, info, tag)
        if va is None or step < 8:
            continue
        needle = struct.pack("<Q", va)
        for lo, hi in info.data_ranges:
            i = data.find(needle, lo, hi)
            while i != -1 and len(out.get(tag, ())) < most:
                at = i - step  # the version text's pointer
                if i % 8 == 0 and at - 8 >= lo:
                    off = info.offset_of(struct.unpack_from("<Q", data, at)[0])
                    m = _RECORD_TEXT.fullmatch(data[off:off + 16].split(b"\0", 1)[0].decode("latin-1")) \
                        if off is not None and off < len(data) else None
                    packed = int(m[1]) << 16 | int(m[2]) << 8 | int(m[3]) if m else -1
                    if m and all(int(g) < 256 for g in m.groups()) and \
                            packed in struct.unpack_from("<2I", data, at - 8):
                        out.setdefault(tag, []).append(off)
                i = data.find(needle, i + 1, hi)
    return out


def pe_u16_records(data: bytes | mmap.mmap, info: BinaryInfo, tag: int, step: int, *,
                   most: int = 4) -> set[tuple[int, int, int]]:
    """64-bit PE: the (major, minor, micro) uint16 triples ``step`` bytes before each 8-aligned
    absolute pointer to the text at file offset ``tag`` in the file's data (libusb's static
    ``libusb_version`` record: four uint16, then pointers to its rc text and to its URL)."""
    if info.format != "pe" or info.machine != "x86_64" or step < 6:
        return set()
    va = _file_vaddr(data, info, tag)
    if va is None:
        return set()
    needle = struct.pack("<Q", va)
    out: set[tuple[int, int, int]] = set()
    for lo, hi in info.data_ranges:
        i = data.find(needle, lo, hi)
        while i != -1 and len(out) < most:
            if i % 8 == 0 and i - step >= lo:
                out.add(struct.unpack_from("<3H", data, i - step))
            i = data.find(needle, i + 1, hi)
    return out


_REG_ARGS = {  # the register a format is passed in -> where its variadic arguments go, in order
    ("pe", 8): (9, "s32", "s40"), ("pe", 2): (8, 9, "s32"),  # snprintf / sprintf, Microsoft x64
    ("elf", 2): (1, 8, 9), ("elf", 6): (2, 1, 8),  # snprintf / sprintf, System V
}


def x86_format_records(data: bytes | mmap.mmap, info: BinaryInfo, formats: list[tuple[int, int]], *,
                       most: int = 4) -> dict[tuple[int, int], list[int]]:
    """x86-64 PE and ELF: per (format, n), the file offsets of the version texts that the code
    passes as the format's n-th variadic argument (from 1) where it loads the format (the text at
    file offset ``format``), when that argument is the version-text field (+8) of the record a
    function called just before returns (curl's ``msnprintf(p, len, "ngtcp2/%s nghttp3/%s",
    ngtcp2_version(0)->version_str, nghttp3_version(0)->version_str)``), and that function loads
    a record holding the text and its number packed as 0xMMmmpp. The instructions from the first
    call to the format's use are followed (calls, register and stack moves, ``mov r64, [r64 +
    8]``, constant loads); any other instruction, or an argument of another origin, gives
    nothing."""
    span = _x86_text(data, info) if formats else None
    if span is None:
        return {}
    lo, size, delta = span
    base = delta - 7
    wanted: dict[int, list[tuple[int, int]]] = {}
    for fmt, n in formats:
        va = _file_vaddr(data, info, fmt)
        if va is not None:
            wanted.setdefault(va, []).append((fmt, n))
    out: dict[tuple[int, int], list[int]] = {}
    for p, e in _rip_refs_to(data, lo, lo + size, base, set(wanted)):
        if data[p + 1] != 0x8D:
            continue
        reg = ((data[p + 2] >> 3) & 7) + (8 if data[p] & 4 else 0)
        slots = _REG_ARGS.get((info.format, reg))
        if slots is None:
            continue
        (disp,) = struct.unpack_from("<i", data, e - 4)
        for start in range(max(lo, p - 64), p):
            if data[start] != 0xE8:
                continue
            state = _x86_follow(data, start, p, {}, {}, lo, lo + size)
            if state is None:
                continue
            regs, stack = state
            state = _x86_follow(data, e, min(e + 32, lo + size), regs, stack, lo, lo + size, until_call=True)
            if state is None:
                break
            regs, stack = state
            for fmt, n in wanted[e + base + disp]:
                if n > len(slots):
                    continue
                slot = slots[n - 1]
                value = stack.get(int(slot[1:])) if isinstance(slot, str) else regs.get(slot)
                if not (isinstance(value, tuple) and value[0] == "field" and value[2] == 8):
                    continue
                callee = value[1]
                text = _x86_record_text(data, info, callee, callee + base, callee + 48, fields=(8,))
                off = info.offset_of(text) if text is not None else None
                found = out.setdefault((fmt, n), [])
                if off is not None and off not in found and len(found) < most:
                    found.append(off)
            break
    return out


def _x86_follow(data: bytes | mmap.mmap, pos: int, end: int, regs: dict, stack: dict, lo: int, hi: int,
                *, until_call: bool = False) -> tuple[dict, dict] | None:
    """Follow straight-line x86-64 code from ``pos`` to exactly ``end`` (or, ``until_call``, to
    the first call or jump): what calls return (("ret", the callee's file offset)), the fields
    read through such a value (("field", callee, displacement)), in registers and in [rsp + d8]
    slots. None at an instruction outside the few kinds followed."""
    regs, stack = dict(regs), dict(stack)
    while pos < end:
        b = data[pos]
        rex = b if 0x40 <= b <= 0x4F else 0
        at = pos + (1 if rex else 0)
        op = data[at]
        if op in (0xE8, 0xE9) and not rex:
            if until_call:
                return regs, stack
            target = at + 5 + struct.unpack_from("<i", data, at + 1)[0]
            if op == 0xE9 or not lo <= target < hi:
                return None
            for r in (0, 1, 2, 8, 9, 10, 11):
                regs.pop(r, None)
            regs[0] = ("ret", target)
            pos = at + 5
            continue
        modrm = data[at + 1]
        mod = modrm >> 6
        reg, rm = ((modrm >> 3) & 7) + (8 if rex & 4 else 0), (modrm & 7) + (8 if rex & 1 else 0)
        if op in (0x31, 0x33) and mod == 3 and reg == rm:  # xor r32, r32
            regs[reg] = 0
            pos = at + 2
        elif 0xB8 <= op <= 0xBF and not rex & 8:  # mov r32, imm32
            regs[op - 0xB8 + (8 if rex & 1 else 0)] = None
            pos = at + 5
        elif op in (0x89, 0x8B) and rex & 8 and mod == 3:  # mov r64, r64
            src, dst = (reg, rm) if op == 0x89 else (rm, reg)
            regs[dst] = regs.get(src)
            pos = at + 2
        elif op == 0x8B and rex & 8 and mod == 1 and modrm & 7 != 4:  # mov r64, [r64 + d8]
            value = regs.get(rm)
            d8 = struct.unpack_from("<b", data, at + 2)[0]
            regs[reg] = ("field", value[1], d8) if isinstance(value, tuple) and value[0] == "ret" else None
            pos = at + 3
        elif op == 0x89 and rex & 8 and mod == 1 and modrm & 7 == 4 and data[at + 2] == 0x24:
            stack[struct.unpack_from("<b", data, at + 3)[0]] = regs.get(reg)  # mov [rsp + d8], r64
            pos = at + 4
        elif op == 0x8D and rex & 8 and mod in (1, 2) and modrm & 7 != 4:  # lea r64, [r64 + d]
            regs[reg] = None
            pos = at + (3 if mod == 1 else 6)
        elif op == 0x8D and rex & 8 and mod == 0 and modrm & 7 == 5:  # lea r64, [rip + d32]
            regs[reg] = None
            pos = at + 6
        else:
            return None
    return (regs, stack) if pos == end else None


# --- a printf-like call's constant arguments (x86-64) ---------------------------------------------

_WIN64_ARG_REGS = (1, 2, 8, 9)  # rcx, rdx, r8, r9; then [rsp + 32], [rsp + 40], ...
_SYSV_ARG_REGS = (7, 6, 2, 1, 8, 9)  # rdi, rsi, rdx, rcx, r8, r9; then [rsp], [rsp + 8], ...


def _modrm_extra(data: bytes | mmap.mmap, at: int) -> tuple[int, int | None, int | None] | None:
    """For the ModRM byte at ``at``: (bytes from ModRM to the end of the memory operand, the
    displacement when the operand is ``[rsp + disp]`` (else None), the rip-relative displacement
    (else None)); None past the data's end."""
    if at >= len(data):
        return None
    modrm = data[at]
    mod, rm = modrm >> 6, modrm & 7
    if mod == 3:
        return 1, None, None
    n = 1
    rsp = False
    if rm == 4:
        if at + 1 >= len(data):
            return None
        sib = data[at + 1]
        n += 1
        rsp = sib == 0x24  # base rsp, no index
        if mod == 0 and sib & 7 == 5:
            return n + 4, None, None  # [index * s + disp32]
    if mod == 0 and rm == 5:
        if at + 5 > len(data):
            return None
        return 5, None, struct.unpack_from("<i", data, at + 1)[0]
    if mod == 1:
        if at + n >= len(data):
            return None
        disp = struct.unpack_from("<b", data, at + n)[0]
        n += 1
    elif mod == 2:
        if at + n + 4 > len(data):
            return None
        disp = struct.unpack_from("<i", data, at + n)[0]
        n += 4
    else:
        disp = 0
    return n, (disp if rsp else None), None


def _args_at_call(regs: dict[int, int | tuple[str, int]], stack: dict[int, int | tuple[str, int]],
                  win64: bool) -> dict[int, int | tuple[str, int]]:
    order = _WIN64_ARG_REGS if win64 else _SYSV_ARG_REGS
    args = {i: regs[r] for i, r in enumerate(order) if r in regs}
    first = 32 if win64 else 0
    for disp, value in stack.items():
        if disp >= first and (disp - first) % 8 == 0:
            args[len(order) + (disp - first) // 8] = value
    return args


def x86_call_args(data: bytes | mmap.mmap, off: int, vaddr: int, *, win64: bool,
                  max_bytes: int = 160, trace: list[int] | None = None
                  ) -> dict[int, int | tuple[str, int]] | None:
    """The constant arguments of the first call an x86-64 code run makes, read instruction by
    instruction from ``off`` (whose address is ``vaddr``) up to that ``call``: argument index ->
    an integer, or ("addr", address) for a ``lea r, [rip + d]``. Only the moves a compiler sets
    a call up with are followed (``mov r, imm``, ``mov [rsp + d], imm``, ``mov r, r``,
    ``lea r, [rip + d]``, ``lea r, [r + d]``, ``xor r, r``, stores to and adjustments of the
    stack, moves from memory); a branch, a return or any other instruction ends the reading with
    None, so what is returned is what every run through this code passes. ``trace`` collects the
    file offset of each instruction read, the call's included."""
    regs: dict[int, int | tuple[str, int]] = {}
    stack: dict[int, int | tuple[str, int]] = {}
    stored = False  # a stack argument is written: rsp may not move after it
    pos, end = off, min(off + max_bytes, len(data))
    while pos < end:
        b = data[pos]
        if trace is not None:
            trace.append(pos)
        if b == 0xE8:
            return _args_at_call(regs, stack, win64)
        if _at(data, pos, b"\xf3\x0f\x1e\xfa"):
            pos += 4
            continue
        if b in (0x90, 0xCC):
            if b == 0xCC:
                return None
            pos += 1
            continue
        if b == 0x66 and (data[pos + 1:pos + 2] == b"\x90" or data[pos + 1:pos + 3] == b"\x0f\x1f"
                          or data[pos + 1:pos + 4] == b"\x2e\x0f\x1f"):
            pos += 1  # the operand-size prefix of a long nop
            continue
        sse = _sse_length(data, pos)
        if sse is not None:
            # a floating-point move or operation: no general register changes; a store to the
            # stack is no constant argument any more (SuiteSparse's amd_control spills its
            # doubles between the integers it passes)
            length, rsp_disp = sse
            if rsp_disp is not None:
                stack.pop(rsp_disp, None)
                stored = True
            pos += length
            continue
        rex = b if 0x40 <= b <= 0x4F else 0
        at = pos + (1 if rex else 0)
        if at + 1 >= len(data):
            return None
        op = data[at]
        w, r_ext, b_ext = rex & 8, (rex & 4) << 1, (rex & 1) << 3
        if 0x50 <= op <= 0x5F:  # push / pop
            if stored:
                return None
            regs.pop((op & 7) | b_ext, None)
            pos = at + 1
            continue
        if 0xB8 <= op <= 0xBF:  # mov r32, imm32 / movabs r64, imm64
            size = 8 if w else 4
            if at + 1 + size > len(data):
                return None
            regs[(op & 7) | b_ext] = int.from_bytes(data[at + 1:at + 1 + size], "little")
            pos = at + 1 + size
            continue
        if 0xB0 <= op <= 0xB7:  # mov r8, imm8 (al: a variadic call's vector count)
            regs.pop((op & 7) | b_ext, None)
            pos = at + 2
            continue
        if op == 0x0F and data[at + 1] == 0x1F:  # nop r/m
            m = _modrm_extra(data, at + 2)
            if m is None:
                return None
            pos = at + 2 + m[0]
            continue
        if op == 0x0F and data[at + 1] in (0xB6, 0xB7, 0xBE, 0xBF):  # movzx / movsx
            m = _modrm_extra(data, at + 2)
            if m is None:
                return None
            regs.pop(((data[at + 2] >> 3) & 7) | r_ext, None)
            pos = at + 2 + m[0]
            continue
        m = _modrm_extra(data, at + 1)
        if m is None:
            return None
        length, rsp_disp, rip_disp = m
        modrm = data[at + 1]
        reg = ((modrm >> 3) & 7) | r_ext
        rm = (modrm & 7) | b_ext
        direct = modrm >> 6 == 3
        nxt = at + 1 + length
        if op == 0xFF and reg & 7 == 2:  # call r/m
            return _args_at_call(regs, stack, win64)
        if op == 0xFF and reg & 7 == 6:  # push r/m: a stack argument from memory (not read)
            if stored:
                return None
            pos = nxt
            continue
        if op == 0xC7 and reg & 7 == 0:  # mov r/m, imm32
            if nxt + 4 > len(data):
                return None
            imm = struct.unpack_from("<i" if w else "<I", data, nxt)[0]
            if direct:
                regs[rm] = imm
            elif rsp_disp is not None:
                stack[rsp_disp] = imm
                stored = True
            pos = nxt + 4
            continue
        if op == 0x89:  # mov r/m, r
            if direct:
                if reg in regs:
                    regs[rm] = regs[reg]
                else:
                    regs.pop(rm, None)
            elif rsp_disp is not None:
                if reg in regs:
                    stack[rsp_disp] = regs[reg]
                else:
                    stack.pop(rsp_disp, None)
                stored = True
            pos = nxt
            continue
        if op == 0x8B:  # mov r, r/m
            if direct and rm in regs:
                regs[reg] = regs[rm]
            else:
                regs.pop(reg, None)
            pos = nxt
            continue
        if op == 0x8D and not direct:  # lea
            if rip_disp is not None:
                regs[reg] = ("addr", vaddr + (nxt - off) + rip_disp)
            else:
                base = modrm & 7
                value = regs.get(base | b_ext) if base != 4 and modrm >> 6 in (1, 2) else None
                if isinstance(value, int) and (rex & 2) == 0:
                    disp = struct.unpack_from("<b" if modrm >> 6 == 1 else "<i", data, at + 2)[0]
                    regs[reg] = (value + disp) & (0xFFFFFFFFFFFFFFFF if w else 0xFFFFFFFF)
                else:
                    regs.pop(reg, None)
            pos = nxt
            continue
        if op in (0x31, 0x33) and direct:  # xor
            if reg == rm:
                regs[reg] = 0
            else:
                regs.pop(reg if op == 0x33 else rm, None)
            pos = nxt
            continue
        if op in (0x83, 0x81):  # add/sub/cmp/... r/m, imm
            imm_len = 1 if op == 0x83 else 4
            if direct and rm == 4:  # rsp
                if stored or reg & 7 not in (0, 5):
                    return None
            elif direct and reg & 7 != 7:
                regs.pop(rm, None)
            pos = nxt + imm_len
            continue
        if op in (0x85, 0x84, 0x39, 0x3B, 0x38, 0x3A):  # test / cmp
            pos = nxt
            continue
        return None
    return None


# SSE instructions that read and write only xmm registers or memory (moves, compares, logic and
# arithmetic): 0F xx after an optional 66/F2/F3 prefix and REX
_SSE_OPS = frozenset((0x10, 0x11, 0x28, 0x29, 0x2E, 0x2F, 0x51, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5C,
                      0x5D, 0x5E, 0x5F, 0x14, 0x15, 0xEF))
_SSE_STORES = frozenset((0x11, 0x29))


def _sse_length(data: bytes | mmap.mmap, pos: int) -> tuple[int, int | None] | None:
    """(length, the rsp displacement it stores to or None) of the SSE instruction at ``pos``, if it
    is one of ``_SSE_OPS``; None for anything else."""
    if pos + 4 > len(data):
        return None
    at = pos
    if data[at] in (0x66, 0xF2, 0xF3):
        at += 1
    if 0x40 <= data[at] <= 0x4F:
        at += 1
    if data[at] != 0x0F or at + 2 >= len(data) or data[at + 1] not in _SSE_OPS:
        return None
    if data[at + 1] == 0xEF and data[pos] != 0x66:
        return None  # (pxor is 66 0F EF; without the prefix it is an MMX instruction)
    m = _modrm_extra(data, at + 2)
    if m is None:
        return None
    length, rsp_disp, _rip = m
    stores = data[at + 1] in _SSE_STORES and data[at + 2] >> 6 != 3
    return at + 2 + length - pos, rsp_disp if stores else None


_CONVERSION = re.compile(rb"%[-+ #0]*[0-9]*(?:\.[0-9]+)?(?:hh|h|ll|l|z|j|t)?([a-zA-Z%])")


def x86_printf_text(data: bytes | mmap.mmap, info: BinaryInfo, off: int, vaddr: int, *,
                    fmt_at: int | None = None, max_bytes: int = 160,
                    trace: list[int] | None = None, with_texts: bool = True) -> str | None:
    """The text a printf-like call renders from its leading integer conversions, when the code run
    from ``off`` passes the format (``fmt_at``: the format's address; else any argument whose text
    has a conversion) and constants for each of those integers: onig_version()'s
    ``snprintf(s, 12, "%d.%d.%d", 6, 9, 10)`` -> "6.9.10". The text stops before the first
    conversion that is no integer (``with_texts``: or no constant text); at least two integers are
    needed, or one beside a text. x86-64 PE and ELF."""
    if info.machine != "x86_64" or info.format not in ("pe", "elf"):
        return None
    args = x86_call_args(data, off, vaddr, win64=info.format == "pe", max_bytes=max_bytes, trace=trace)
    if not args:
        return None
    for index in sorted(args):
        value = args[index]
        if not isinstance(value, tuple) or (fmt_at is not None and value[1] != fmt_at):
            continue
        fmt_off = info.offset_of(value[1])
        if fmt_off is None or not 0 <= fmt_off < len(data):
            continue
        stop = data.find(b"\0", fmt_off, fmt_off + 256)
        if stop < 0:
            continue
        fmt = bytes(data[fmt_off:stop])
        out, pos, nth, ints, texts = [], 0, index + 1, 0, 0
        for cm in _CONVERSION.finditer(fmt):
            if cm.group(1) == b"s" and with_texts:
                # a constant text (Dear ImGui 1.82's "Dear ImGui %s (%d)" passed "1.82" and 18200);
                # any other argument ends the rendering here
                arg = args.get(nth)
                text = _str_at(data, info, arg[1]) if isinstance(arg, tuple) else None
                if text is None or len(text) > 40:
                    break
                out.append(fmt[pos:cm.start()].decode("latin-1"))
                out.append(text)
                pos, nth, texts = cm.end(), nth + 1, texts + 1
                continue
            if cm.group(1) not in b"diu":
                break
            n = args.get(nth)
            if not isinstance(n, int) or not 0 <= n < 100000:
                return None
            out.append(fmt[pos:cm.start()].decode("latin-1"))
            out.append(str(n))
            pos, nth, ints = cm.end(), nth + 1, ints + 1
        else:
            out.append(fmt[pos:].decode("latin-1"))
        if ints >= 2 or (ints and texts):
            return "".join(out)
    return None


def x86_printf_texts(data: bytes | mmap.mmap, info: BinaryInfo, formats: list[int], *,
                     most: int = 2) -> dict[int, list[str]]:
    """Per format (file offset of a printf format's first byte), the texts rendered at the call
    sites that pass it (``x86_printf_text`` from each ``lea r, [rip + d]`` that loads it), at most
    ``most``; one pass over ``.text`` serves every format. x86-64 PE and ELF only."""
    span = _x86_text(data, info) if formats else None
    if span is None:
        return {}
    lo, size, delta = span
    wanted = {va: f for f in formats if (va := _file_vaddr(data, info, f)) is not None}
    out: dict[int, list[str]] = {}
    for p in _leas_to(data, lo, lo + size, [va - delta for va in wanted]):
        (disp,) = struct.unpack_from("<i", data, p + 3)
        fmt = wanted.get(p + delta + disp)
        if fmt is None or len(out.get(fmt, ())) >= most:
            continue
        rendered = x86_printf_text(data, info, p, p + delta - 7, fmt_at=p + delta + disp)
        if not rendered:
            rendered = _x86_printf_set_up_before(data, info, p, delta, p + delta + disp, lo, lo + size)
        if rendered:
            out.setdefault(fmt, []).append(rendered)
    return out


def _x86_printf_set_up_before(data: bytes | mmap.mmap, info: BinaryInfo, p: int, delta: int,
                              fmt_at: int, lo: int, hi: int, *, back: int = 48) -> str | None:
    """``x86_printf_text`` for a call whose constant arguments the compiler stored before it loaded
    the format at file offset ``p`` (HiGHS's log header: "Running HiGHS %d.%d.%d%s: %s" with the
    minor and patch already on the stack): the reading starts up to ``back`` bytes earlier, at
    each offset whose instructions run straight through the format's ``lea`` to the call. A run
    with an instruction (after its first) that some jump may reach is no single path, so it
    proves nothing; every start that renders must render the same text, else None. Text arguments
    rendered too (Dear ImGui's "%s (%d)") when every start agrees on them; else the integers alone
    (whether a start sees a text argument depends on where it starts: mimalloc's "v%i.%i.%i%s%s")."""
    joins = _x86_jump_targets(data, max(lo, p - back - 32768), min(hi, p + 32768), p - back, p + 160)
    for with_texts in (True, False):
        texts = set()
        for start in range(max(lo, p - back), p):
            trace: list[int] = []
            text = x86_printf_text(data, info, start, start + delta - 7, fmt_at=fmt_at, trace=trace,
                                   with_texts=with_texts)
            if text is None or p not in trace or any(t in joins for t in trace[1:]):
                continue
            texts.add(text)
        if len(texts) == 1:
            return texts.pop()
    return None


def _x86_jump_targets(data: bytes | mmap.mmap, lo: int, hi: int, first: int, last: int) -> set[int]:
    """The file offsets in [first, last) that a ``jmp``/``jcc`` (rel8 within 130 bytes, rel32 in
    [lo, hi)) found byte by byte may reach: more than the real ones (any bytes that look like a
    jump count), which only makes the caller refuse more."""
    out = set()
    for i in range(max(lo, first - 130), min(hi, last + 130) - 1):
        b = data[i]
        if b == 0xEB or 0x70 <= b <= 0x7F:
            t = i + 2 + struct.unpack_from("<b", data, i + 1)[0]
            if first <= t < last:
                out.add(t)
    for i in range(lo, hi - 6):
        b = data[i]
        if b == 0xE9:
            t = i + 5 + struct.unpack_from("<i", data, i + 1)[0]
        elif b == 0x0F and 0x80 <= data[i + 1] <= 0x8F:
            t = i + 6 + struct.unpack_from("<i", data, i + 2)[0]
        else:
            continue
        if first <= t < last:
            out.add(t)
    return out


def aarch64_printf_texts(data: bytes | mmap.mmap, info: BinaryInfo, formats: list[int], *,
                         most: int = 2, back: int = 24, ahead: int = 16) -> dict[int, list[str]]:
    """:func:`x86_printf_texts` for arm64: per format (file offset of its first byte), the texts
    rendered at the calls that pass it, where the code builds its address (``adrp``/``add``) into
    an argument register within ``back`` instructions before a ``bl`` and no branch between. The
    integers come from ``mov`` immediates: on macOS (Apple's arm64 calling convention) variadic
    arguments are stored to the stack, ``[sp]``, ``[sp + 8]``...; elsewhere they follow the
    format in the registers. mimalloc's ``_mi_message("v%i.%i.%i%s%s (built on %s, %s)\\n", 2, 2,
    4, ...)``: 'mov w8, #2; stp x8, x8, [sp]' and 4 at [sp + 16] render "v2.2.4". The ``add``
    instructions with a format's low 12 bits are found by a byte search, then their ``adrp``."""
    text = info.sections.get("__text") or info.sections.get(".text")
    if info.machine != "aarch64" or text is None or not formats:
        return {}
    lo, size = text
    text_va = _arm64_vaddr(data, info, lo)
    if text_va is None:
        return {}
    wanted = {va: f for f in formats if (va := _arm64_vaddr(data, info, f)) is not None}
    if not wanted:
        return {}
    hi = lo + size - size % 4
    # add xd, xn, #imm12 (64-bit, no shift): byte 3 0x91, byte 2 the imm's bits 11-6, byte 1 its
    # bits 5-0 above two bits of xn
    alts = sorted({b"[" + re.escape(bytes([low := (va & 0x3F) << 2])) + b"-" + re.escape(bytes([low | 3]))
                   + b"]" + re.escape(bytes([(va >> 6) & 0x3F])) for va in wanted})
    rx = re.compile(b"(?s).(?:" + b"|".join(alts) + b")\x91")
    out: dict[int, list[str]] = {}
    stacked = info.format == "macho"
    for hit in rx.finditer(data, lo, hi):
        j_off = hit.start()
        if (j_off - lo) % 4:
            continue
        (add,) = struct.unpack_from("<I", data, j_off)
        rn = (add >> 5) & 0x1F
        for i_off in range(j_off - 4, max(lo, j_off - 20) - 1, -4):
            (ins,) = struct.unpack_from("<I", data, i_off)
            if ins & 0x9F000000 != 0x90000000 or ins & 0x1F != rn:
                continue
            imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
            if imm & (1 << 20):
                imm -= 1 << 21
            page = ((text_va + i_off - lo) & ~0xFFF) + (imm << 12)
            fmt = wanted.get(page + ((add >> 10) & 0xFFF))
            if fmt is not None and len(out.get(fmt, ())) < most:
                rendered = _aarch64_printf_call(data, info, lo, hi, (i_off - lo) // 4, (j_off - lo) // 4,
                                                add & 0x1F, fmt, stacked, back, ahead)
                if rendered:
                    out.setdefault(fmt, []).append(rendered)
            break
    return out


def _aarch64_printf_call(data: bytes | mmap.mmap, info: BinaryInfo, lo: int, hi: int, i: int, j: int,
                         reg: int, fmt: int, stacked: bool, back: int, ahead: int) -> str | None:
    """The text the ``bl`` after instruction ``j`` (which puts format ``fmt`` in register ``reg``)
    renders, from the immediates moved and stored in the straight run of code around it."""
    if reg > 7:
        return None
    start = i
    while start > 0 and i - start < back:
        (prev,) = struct.unpack_from("<I", data, lo + 4 * (start - 1))
        if _aarch64_branch(prev):
            break
        start -= 1
    regs: dict[int, int | None] = {}
    slots: dict[int, int | None] = {}
    for k in range(start, min(j + ahead, (hi - lo) // 4)):
        (ins,) = struct.unpack_from("<I", data, lo + 4 * k)
        if ins & 0xFC000000 == 0x94000000:  # bl: the call
            if k < j:
                return None
            return _render_ints(data, fmt, (slots.get(8 * n) for n in range(8)) if stacked
                                else (regs.get(r) for r in range(reg + 1, 8)))
        if k > j and _aarch64_branch(ins):
            return None
        if ins & 0x7F800000 == 0x52800000:  # movz w/x, #imm16, lsl #(16 * hw)
            regs[ins & 0x1F] = ((ins >> 5) & 0xFFFF) << (16 * ((ins >> 21) & 3))
        elif ins & 0xFFC003E0 in (0xF90003E0, 0xB90003E0):  # str x/w, [sp, #imm]
            scale = 8 if ins & 0x40000000 else 4
            slots[((ins >> 10) & 0xFFF) * scale] = regs.get(ins & 0x1F)
        elif ins & 0xFFC003E0 in (0xA90003E0, 0x290003E0):  # stp x/w, x/w, [sp, #imm]
            scale = 8 if ins & 0x80000000 else 4
            at = ((ins >> 15) & 0x7F) * scale
            slots[at] = regs.get(ins & 0x1F)
            slots[at + scale] = regs.get((ins >> 10) & 0x1F)
        elif ins & 0x1F != 31:
            regs.pop(ins & 0x1F, None)  # any other instruction may write its first register
    return None


def _aarch64_branch(ins: int) -> bool:
    return (ins & 0x7C000000 == 0x14000000 or ins & 0xFE000000 == 0x54000000 or ins & 0x7E000000 == 0x34000000
            or ins & 0x7E000000 == 0x36000000 or ins & 0xFE1F0000 == 0xD61F0000)


def _render_ints(data: bytes | mmap.mmap, fmt_off: int, values: Iterator[int | None]) -> str | None:
    """The format at ``fmt_off`` with its leading integer conversions filled from ``values``; the
    text stops before the first other conversion. At least two integers, else None."""
    stop = data.find(b"\0", fmt_off, fmt_off + 256)
    if stop < 0:
        return None
    fmt = bytes(data[fmt_off:stop])
    out, pos, ints = [], 0, 0
    for cm in _CONVERSION.finditer(fmt):
        if cm.group(1) not in b"diu":
            break
        n = next(values, None)
        if n is None or not 0 <= n < 100000:
            return None
        out.append(fmt[pos:cm.start()].decode("latin-1"))
        out.append(str(n))
        pos, ints = cm.end(), ints + 1
    else:
        out.append(fmt[pos:].decode("latin-1"))
    return "".join(out) if ints >= 2 else None
