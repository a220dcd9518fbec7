"""Make a smaller ICU data library for the Linux bundle.

    python build_scripts/trim_icu.py LIBICUDATA OUT_DIR        → OUT_DIR/<same file name>

The PySide6 wheels for Linux link Qt against their own ICU, whose data library (libicudataNN) holds
32 MB of locale data, converters, dictionaries and collation tables for every language. Qt uses ICU
for collation (QCollator), legacy text codecs and time-zone names; the window needs none of it
beyond the root and English data. This keeps:

- all Unicode property, normalization, name and alias tables (*.icu, *.nrm, *.cfu, *.spp);
- the non-locale resource bundles (supplemental data, likely subtags, time zones, plural rules, …);
- in every resource tree only root, English (en, en_*), the shared string pool and the index;
- the break-iterator rules but not the dictionaries (CJK, Thai, Khmer, Lao, Burmese);
- no legacy charset converters (*.cnv); UTF-8/16/32 and Latin-1 are built into Qt.

Anything else asked for falls back to root, as ICU does for a locale it does not know. The result is
the same ICU "common data" package format, linked into a shared library that exports the same symbol
(icudtNN_dat) with the same soname, so libicuuc loads it unchanged. Needs binutils (nm, readelf, as,
ld, strip); without them the caller keeps the full library.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE = re.compile(r"^(root|[a-z]{2,3})(_[A-Za-z0-9]*)*$")
KEEP_LANGUAGES = {"root", "en"}
ALWAYS_KEEP = {"pool", "res_index"}
DROP_TREES = {"translit", "rbnf"}


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {', '.join(names)} is installed")


def extract(lib: Path) -> tuple[str, bytes]:
    """(symbol name, bytes) of the ICU common data the library exports."""
    nm = subprocess.run([_tool("nm"), "-D", "-S", "--defined-only", str(lib)], check=True,
                        capture_output=True, text=True).stdout
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            value, size, symbol = int(parts[0], 16), int(parts[1], 16), parts[3]
            break
    else:
        raise RuntimeError(f"{lib}: no icudtNN_dat symbol")
    readelf = subprocess.run([_tool("readelf"), "-SW", str(lib)], check=True, capture_output=True, text=True).stdout
    for line in readelf.splitlines():
        m = re.search(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            addr, offset, length = (int(m.group(i), 16) for i in (2, 3, 4))
            if addr <= value < addr + length:
                with lib.open("rb") as f:
                    f.seek(offset + value - addr)
                    return symbol, f.read(size)
    raise RuntimeError(f"{lib}: {symbol} is in no section")


def parse(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, item) list of an ICU common data package."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise RuntimeError("not an ICU common data package (little-endian CmnD)")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        name = toc[name_offset:toc.index(b"\0", name_offset)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_offset:end]))
    return blob[:header_size], items


def build(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """Write a common data package: header, TOC (count, name/data offsets), names, 16-byte aligned items."""
    count = len(items)
    names = b""
    name_offsets = []
    base = 4 + 8 * count
    for name, _ in items:
        name_offsets.append(base + len(names))
        names += name.encode("ascii") + b"\0"
    data_start = base + len(names)
    data_start += -data_start % 16
    body, data_offsets = b"", []
    for _, item in items:
        body += b"\0" * (-len(body) % 16)
        data_offsets.append(data_start + len(body))
        body += item
    pairs = zip(name_offsets, data_offsets, strict=True)
    toc = struct.pack("<I", count) + b"".join(struct.pack("<II", n, d) for n, d in pairs)
    toc += names
    toc += b"\0" * (data_start - len(toc))
    return header + toc + body


def wanted(name: str) -> bool:
    parts = name.split("/")[1:]  # drop the package name (icudtNNl)
    file = parts[-1]
    stem, _, ext = file.rpartition(".")
    tree = parts[0] if len(parts) > 1 else ""
    if ext == "cnv" or ext == "dict" or tree in DROP_TREES:
        return False
    if ext != "res" or stem in ALWAYS_KEEP:
        return True
    if LOCALE.match(stem):
        return stem.split("_")[0] in KEEP_LANGUAGES
    return True  # supplementalData, zoneinfo64, metaZones, likelySubtags, …


def link(symbol: str, data: bytes, soname: str, out: Path) -> None:
    """A shared library holding `data` as the read-only object `symbol` (binutils: as, ld, strip)."""
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icu.dat"
        dat.write_bytes(data)
        asm = Path(tmp) / "icudata.s"
        asm.write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, .-{symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        obj = Path(tmp) / "icudata.o"
        subprocess.run([_tool("as"), "-o", str(obj), str(asm)], check=True)
        subprocess.run([_tool("ld"), "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(out), str(obj)],
                       check=True)
        subprocess.run([_tool("strip"), "--strip-unneeded", str(out)], check=True)


def soname(lib: Path) -> str:
    out = subprocess.run([_tool("readelf"), "-d", str(lib)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"\(SONAME\)\s+Library soname: \[(.+?)\]", out)
    return m.group(1) if m else lib.name


def trim(lib: Path, out_dir: Path) -> Path:
    symbol, blob = extract(lib)
    header, items = parse(blob)
    kept = [(name, item) for name, item in items if wanted(name)]
    data = build(header, kept)
    header2, check = parse(data)
    if header2 != header or check != kept:
        raise RuntimeError("the rebuilt ICU data does not read back the same")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / lib.name
    link(symbol, data, soname(lib), out)
    print(f"trim_icu: {lib.name}: {len(kept)} of {len(items)} items, "
          f"{lib.stat().st_size / 1e6:.1f} → {out.stat().st_size / 1e6:.1f} MB")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    trim(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
