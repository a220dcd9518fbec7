"""The three GLEIF golden-copy files: which is which, how to open them, and when they were published.

A file is recognised by its content, never by a flag: a CSV file by its header row, an XML file by
the namespace of its root element. A .zip holding one such file is read without extracting it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from desktop_app.importers.records import DatasetError

LEVEL1 = "lei2"  # Level 1: who is who (LEI-CDF)
RELATIONSHIPS = "rr"  # Level 2: who owns whom (RR-CDF relationship records)
EXCEPTIONS = "repex"  # Level 2: why no parent is reported (reporting exceptions)
KINDS = (LEVEL1, RELATIONSHIPS, EXCEPTIONS)
KIND_TITLES = {
    LEVEL1: "LEI-CDF Level 1 records",
    RELATIONSHIPS: "RR-CDF relationship records",
    EXCEPTIONS: "reporting exceptions",
}
NAMESPACES = {
    "http://www.gleif.org/data/schema/leidata/2016": LEVEL1,
    "http://www.gleif.org/data/schema/rr/2016": RELATIONSHIPS,
    "http://www.gleif.org/data/schema/repex/2016": EXCEPTIONS,
}
# Golden-copy files are named like 20240101-0800-gleif-goldencopy-lei2-golden-copy.csv.zip
_STAMP = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})-(\d{2})(\d{2})(?!\d)")
_SNIFF = 64 * 1024
_SAMPLE = 1 << 20
_CONTENT_DATE = re.compile(rb"<(?:[\w-]+:)?ContentDate>([^<]{1,64})<")
_RECORD_END = re.compile(rb"</(?:[\w-]+:)?(?:LEIRecord|RelationshipRecord|Exception)>")


class DamagedFile(Exception):
    """The bytes of a file cannot be read to the end (a truncated or corrupt archive)."""


@dataclass(frozen=True)
class GleifFile:
    """One golden-copy file as found on disk: its kind, format, and where its bytes are."""

    path: Path
    member: str | None  # the file inside a .zip, or None for a plain file
    kind: str
    fmt: str  # "csv" or "xml"
    stamp: str | None  # publication stamp from the file name, YYYYMMDD-HHMM

    @property
    def label(self) -> str:
        """How problems name the file."""
        return self.path.name if self.member is None else f"{self.path.name}/{self.member}"

    @property
    def published(self) -> date | None:
        if self.stamp is None:
            return None
        return date(int(self.stamp[:4]), int(self.stamp[4:6]), int(self.stamp[6:8]))

    def size(self) -> int:
        """Bytes on disk (compressed for a .zip): progress is reported against it."""
        return self.path.stat().st_size

    def _head(self) -> tuple[bytes, int]:
        """The first bytes of the (decompressed) content and the content's whole size."""
        if self.member is None:
            with self.path.open("rb") as fh:
                return fh.read(_SAMPLE), self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as fh:
            return fh.read(_SAMPLE), archive.getinfo(self.member).file_size

    def content_date(self) -> str | None:
        """The ContentDate an XML file states in its header."""
        if self.fmt != "xml":
            return None
        try:
            head, _ = self._head()
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
            return None
        m = _CONTENT_DATE.search(head)
        return m.group(1).decode("ascii", errors="replace").strip() if m else None

    def estimate_records(self) -> int:
        """How many records the file holds, judged from its size and its first records (for progress)."""
        try:
            head, size = self._head()
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
            return 0
        ends = head.count(b"\n") - 1 if self.fmt == "csv" else len(_RECORD_END.findall(head))
        if ends <= 0:
            return 1
        return max(1, int(ends * size / max(len(head), 1)))

    def open(self) -> CountingReader:
        """The file's (decompressed) bytes; reads are hashed and counted."""
        if self.member is None:
            return CountingReader(self.path.open("rb"), None)
        archive = zipfile.ZipFile(self.path)
        try:
            return CountingReader(archive.open(self.member), archive)
        except BaseException:
            archive.close()
            raise


class CountingReader(io.RawIOBase):
    """Passes bytes through, hashing them, and knows how far into the file on disk it is."""

    def __init__(self, raw: IO[bytes], archive: zipfile.ZipFile | None) -> None:
        self.raw, self.archive = raw, archive
        self.hasher = hashlib.sha256()
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise DamagedFile(f"the file cannot be read to its end ({exc}); download it again") from exc
        self.hasher.update(data)
        self.consumed += len(data)
        buffer[: len(data)] = data
        return len(data)

    def read_all_hash(self) -> str:
        """Read what is left (hashing it) and return the hash of the whole file."""
        while self.read(1 << 20):
            pass
        return self.hasher.hexdigest()

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for a .zip member)."""
        if self.archive is not None:
            fileobj = getattr(self.raw, "_fileobj", None)
            tell = getattr(fileobj, "tell", None)
            if tell is not None:
                try:
                    return int(tell())
                except (OSError, ValueError):
                    return 0
            return 0
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return self.consumed

    def close(self) -> None:
        """Does nothing: the readers wrapped around this stream close it when dropped, before its hash
        is complete; `release` closes it."""

    def release(self) -> None:
        try:
            self.raw.close()
        finally:
            if self.archive is not None:
                self.archive.close()
            super().close()


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files named, with a folder standing for the files directly inside it."""
    return [p for p, _ in _expand(paths)]


def _expand(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """(file, named by the user) — files found in a folder were not named one by one."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            out.extend((p, False) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        else:
            out.append((path, True))
    return out


def _sniff_kind(head: bytes) -> tuple[str, str] | None:
    """(kind, format) from the first bytes of a file, or None when it is not a GLEIF file."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("<"):
        for ns, kind in NAMESPACES.items():
            if ns in text:
                return kind, "xml"
        return None
    header = text.split("\n", 1)[0]
    names = {h.strip().strip('"').strip() for h in header.split(",")}
    if "Relationship.StartNode.NodeID" in names or any(n.startswith("Relationship.StartNode") for n in names):
        return RELATIONSHIPS, "csv"
    if any("ExceptionCategory" in n or "ExceptionReason" in n for n in names):
        return EXCEPTIONS, "csv"
    if "LEI" in names and any(n.startswith("Entity.") for n in names):
        return LEVEL1, "csv"
    return None


def _stamp(name: str) -> str | None:
    m = _STAMP.search(name)
    if not m:
        return None
    y, mo, d, h, mi = m.groups()
    try:
        datetime(int(y), int(mo), int(d), int(h), int(mi), tzinfo=UTC)
    except ValueError:
        return None
    return f"{y}{mo}{d}-{h}{mi}"


def identify(path: Path) -> tuple[GleifFile | None, str | None]:
    """The GLEIF file at `path`, or (None, why not)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    return None, f"a GLEIF .zip holds exactly one file; this one holds {len(members)}"
                member = members[0].filename
                with archive.open(member) as stream:
                    head = stream.read(_SNIFF)
            found = _sniff_kind(head)
            if found is None:
                return None, f"{member} is not a GLEIF golden-copy file (LEI-CDF, RR-CDF or reporting exceptions)"
            return GleifFile(path, member, found[0], found[1], _stamp(member) or _stamp(path.name)), None
        with path.open("rb") as stream:
            head = stream.read(_SNIFF)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return None, f"the archive is damaged or truncated ({exc}); download it again"
    except OSError as exc:
        return None, f"cannot be read: {exc}"
    if head[:4] == b"PK\x03\x04":
        return None, "a damaged or truncated .zip archive; download it again"
    found = _sniff_kind(head)
    if found is None:
        return None, "not a GLEIF golden-copy file (LEI-CDF, RR-CDF or reporting exceptions)"
    return GleifFile(path, None, found[0], found[1], _stamp(path.name)), None


def looks_like_gleif(paths: Sequence[Path]) -> bool:
    """Whether the paths hold GLEIF files rather than a canonical dataset (whose folder has dataset.toml)."""
    files = expand(paths)
    if len(paths) == 1 and paths[0].is_dir() and (paths[0] / "dataset.toml").exists():
        return False
    return any(identify(p)[0] is not None for p in files)


def gather(paths: Sequence[Path]) -> dict[str, GleifFile]:
    """The golden-copy files among `paths`, one per kind; DatasetError lists every problem."""
    problems: list[str] = []
    found: dict[str, GleifFile] = {}
    for path, named in _expand(paths):
        if not path.exists():
            problems.append(f"{path.name}:0:-: no such file")
            continue
        gf, why = identify(path)
        if gf is None:
            if named or path.suffix.lower() in (".zip", ".csv", ".xml"):
                problems.append(f"{path.name}:0:-: {why}")
            continue
        if gf.kind in found:
            problems.append(
                f"{gf.label}:0:-: a second {KIND_TITLES[gf.kind]} file (also {found[gf.kind].label}); "
                "import one golden copy at a time"
            )
            continue
        found[gf.kind] = gf
    if LEVEL1 not in found and not problems:
        problems.append(
            "-:0:-: the Level 1 file (LEI-CDF, …-lei2-golden-copy) is missing; import the three files together"
        )
    if problems:
        origin = ", ".join(p.name for p in paths)
        raise DatasetError(origin, problems)
    return found


def iter_paths(files: dict[str, GleifFile]) -> Iterator[GleifFile]:
    for kind in KINDS:
        if kind in files:
            yield files[kind]
