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

import re
import struct

from assay.enrich.bundled.binary import BinaryInfo, Symbol


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
    """movz/movk into w0/x0, or adrp+add into x0, then ret (paciasp/bti allowed)."""
    reg: int | None = None
    addr: int | None = None
    kind = "none"
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
        if rd != 0:
            return "none", None
        op = ins & 0x7F800000
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
