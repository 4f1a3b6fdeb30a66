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

from assay.enrich.bundled.binary import BinaryInfo, Symbol


def _at(data: bytes | mmap.mmap, pos: int, prefix: bytes) -> bool:
    """``data.startswith(prefix, pos)`` for bytes and for memory-mapped members alike."""
    return data[pos:pos + len(prefix)] == prefix


def read_symbol(data: bytes, info: BinaryInfo, sym: Symbol, how: str) -> int | str | None:
    """``how``: "ret-int" | "ret-str" (functions), "int" | "str" | "ptr-str" (data objects)."""
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
        if info.machine != "x86_64":
            return None
        stored = _x86_stores(data, sym.offset, win64=info.format == "pe")
        return ".".join(str(v) for v in stored) if stored else None
    if how.startswith("ret-ptr-int@"):
        # a function returning a pointer to a struct whose int32 field at this offset is the version
        kind, value = _returned(data, info, sym)
        if kind != "addr" or value is None:
            return None
        off = info.offset_of(value + int(how.partition("@")[2]))
        if off is None or off + 4 > len(data):
            return None
        return struct.unpack_from("<i", data, off)[0]
    if how in ("ret-int", "ret-str"):
        kind, value = _returned(data, info, sym)
        if kind == "int" and how == "ret-int":
            return value
        if kind == "addr" and how == "ret-str":
            return _str_at(data, info, value)
        if kind == "addr" and how == "ret-int":
            return None
    return None


def _at(data: bytes, pos: int, literal: bytes) -> bool:
    """``data.startswith(literal, pos)`` for bytes and memory maps alike."""
    return data[pos:pos + len(literal)] == literal


def _str_at(data: bytes, info: BinaryInfo, vaddr: int | None) -> str | None:
    if vaddr is None:
        return None
    off = info.offset_of(vaddr)
    if off is None:
        return None
    return _cstr(data, off)


_PRINTABLE = re.compile(rb"[\x20-\x7e]{1,200}\x00")


def _cstr(data: bytes, off: int) -> str | None:
    m = _PRINTABLE.match(data, off)
    if not m:
        return None
    return m.group()[:-1].decode("ascii")


def _returned(data: bytes, info: BinaryInfo, sym: Symbol) -> tuple[str, int | None]:
    if info.machine in ("x86_64", "x86"):
        return _x86(data, sym.offset, sym.vaddr, info.machine == "x86_64")
    if info.machine == "aarch64":
        return _aarch64(data, sym.offset, sym.vaddr)
    return "none", None


def _x86(data: bytes, off: int, vaddr: int, is64: bool) -> tuple[str, int | None]:
    """Follow a prologue-free or frame-pointer function to its ``ret``; track only eax/rax."""
    pos, end = off, min(off + 48, len(data))
    value: tuple[str, int | None] = ("none", None)
    while pos < end:
        b = data[pos]
        if _at(data, pos, b"\xf3\x0f\x1e\xfa") or _at(data, pos, b"\xf3\x0f\x1e\xfb"):
            pos += 4  # endbr64 / endbr32
        elif b == 0x55:  # push rbp
            pos += 1
        elif _at(data, pos, b"\x48\x89\xe5") or _at(data, pos, b"\x89\xe5"):  # mov rbp, rsp
            pos += 3 if b == 0x48 else 2
        elif b == 0x5D or b == 0xC9:  # pop rbp
            pos += 1
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
        elif _at(data, pos, b"\x81\xff") or _at(data, pos, b"\x83\xff"):
            # cmp edi, imm (an "at least this version?" check that may return NULL instead)
            pos += 6 if data[pos] == 0x81 else 3
        elif _at(data, pos, b"\x48\x85\xff") or _at(data, pos, b"\x48\x85\xc9"):
            pos += 3  # test rdi, rdi / test rcx, rcx (an optional out-parameter)
        elif b == 0x74 and pos + 2 <= end:  # je short: skips only the out-parameter store below
            pos += 2
        elif b == 0xC7 and data[pos + 1] in (0x07, 0x01):  # mov dword [rdi|rcx], imm32: the out-parameter
            pos += 6
        elif b == 0xBA:  # mov edx, imm32 (the NULL alternative)
            pos += 5
        elif _at(data, pos, b"\x48\x0f\x4f\xc2") or _at(data, pos, b"\x48\x0f\x4c\xc2"):
            pos += 4  # cmovg/cmovl rax, rdx: the same NULL alternative
        elif b == 0xC3 or _at(data, pos, b"\xf3\xc3"):  # ret
            return value
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


def _aarch64(data: bytes, off: int, vaddr: int) -> tuple[str, int | None]:
    """movz/movk into w0/x0, or adrp+add into x0, then ret (paciasp/bti allowed).

    An optional out-parameter in x0 (``const char *f(int *v) { if (v) *v = N; return "1.2.3"; }``,
    c-ares' ``ares_version``) is allowed: ``cbz x0`` forward, a constant built in a scratch
    register and stored through x0; the store is not the answer, only x0 at ``ret`` is."""
    reg: int | None = None
    addr: int | None = None
    kind = "none"
    scratch: set[int] = set()  # w8..w17 holding a constant for the out-parameter store
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
            if kind == "addr":
                return "addr", addr
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
        else:
            return "none", None
    return "none", None


# -- integer version encodings ------------------------------------------------

_FIELD = re.compile(r"^(>>|//)(\d+)(?:(&|%)(0x[0-9a-fA-F]+|\d+))?$")


def format_int(value: int, fields: list[str]) -> str | None:
    """Format a packed version with field specs like ``">>16&0xff"`` or ``"//10000%100"``."""
    if value <= 0:
        return None
    parts = []
    for spec in fields:
        m = _FIELD.match(spec)
        if not m:
            raise ValueError(f"bad version field spec {spec!r}")
        op, amount, op2, mod = m.groups()
        v = value >> int(amount) if op == ">>" else value // int(amount)
        if op2 == "&":
            v &= int(mod, 0)
        elif op2 == "%":
            v %= int(mod, 0)
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
        if ins & 0x9F000000 == 0x90000000:  # adrp xd, page
            imm = (((ins >> 5) & 0x7FFFF) << 2) | ((ins >> 29) & 3)
            if imm & (1 << 20):
                imm -= 1 << 21
            regs[rd] = (pc & ~0xFFF) + (imm << 12)
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
            pos += 2
        elif _at(data, pos, b"\x48\x83\xec") or _at(data, pos, b"\x48\x83\xc4"):  # sub/add rsp, imm8
            pos += 4
        elif b == 0x48 and data[pos + 1] == 0x8D and data[pos + 2] & 0xC7 == 0x05:  # lea r64, [rip+d]
            disp = struct.unpack_from("<i", data, pos + 3)[0]
            pos += 7
            regs[(data[pos - 5] >> 3) & 7] = vaddr + (pos - off) + disp
        elif b == 0x48 and data[pos + 1] == 0x85 and data[pos + 2] == 0xC0 | (arg << 3) | arg:
            pos += 3  # test arg, arg
            if data[pos] == 0x74:  # je rel8: the NULL argument's path
                pos += 2 + struct.unpack_from("<b", data, pos + 1)[0]
            elif _at(data, pos, b"\x0f\x84"):
                pos += 6 + struct.unpack_from("<i", data, pos + 2)[0]
            else:
                return None
        elif b == 0x48 and data[pos + 1] in (0x89, 0x8B) and data[pos + 2] >> 6 == 3:  # mov r64, r64
            reg, rm = (data[pos + 2] >> 3) & 7, data[pos + 2] & 7
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
