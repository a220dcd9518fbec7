"""The search index built aside in a second process equals the one `rebuild` makes, and a failed import
leaves neither the database nor the build file behind."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.locations import default_policy_path, reference_dataset_path
from desktop_app.services import importing
from desktop_app.services.context import open_context


def _index(db: Path) -> dict[str, Any]:
    ctx = open_context(db, default_policy_path(), seed_reference=False)
    with ctx.store.engine.connect() as conn:
        q = lambda sql: Counter(tuple(r) for r in conn.execute(text(sql)))  # noqa: E731
        out = {
            "names": q("SELECT entity_id, name, matched_on, norm, forms FROM search_names"),
            "terms": q("SELECT t.term, t.nlen, n.entity_id, n.norm, n.matched_on FROM search_terms t "
                       "JOIN search_names n ON n.id = t.name_id"),
            "vocab": q("SELECT term, df FROM search_vocab"),
            "deletes": q("SELECT variant, term FROM search_deletes"),
            "prefixes": q("SELECT prefix, rank, term, df FROM search_prefixes"),
            "identifiers": q("SELECT scheme, value, entity_id, display FROM search_identifiers"),
            "statuses": q("SELECT entity_id, status, restricted_min, restricted_max FROM determinations"),
            "indexes": q("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'search_%'"),
        }
    ctx.close()
    return out


def _import(db: Path, path: Path) -> None:
    ctx = open_context(db, default_policy_path(), seed_reference=False)
    try:
        importing.import_dataset(ctx, path)
    finally:
        ctx.close()


def test_index_built_aside_equals_the_rebuilt_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  dataset_factory: Any) -> None:
    # a second dataset whose aliases repeat their own names and each other (they add nothing), and a record
    # declared the same as one of the reference data (one merged entity, searched under its cluster)
    extra = dataset_factory(
        [{"id": "a", "name": "Acme Widgets GmbH", "hq_country": "DE"},
         {"id": "t", "name": "TikTok Pte Ltd (Singapore)"}],
        names=[["a", "ACME WIDGETS GMBH", "alias", "", "s1"], ["a", "Acme Widgets", "trade", "", "s1"],
               ["a", "Acme Widgets", "alias", "", "s1"], ["a", "Акме", "local", "ru", "s1"]],
        identifiers=[["t", "same_as", "reference:tiktok-pte-ltd", "s1"]],
        dataset_id="extra",
    )
    inline, aside = tmp_path / "inline.db", tmp_path / "aside.db"
    for db in (inline, aside):
        monkeypatch.setattr(importing, "ASIDE_MIN_BYTES", 10**12 if db is inline else 0)
        _import(db, reference_dataset_path())
        _import(db, extra)
    a, b = _index(inline), _index(aside)
    assert a["names"] and a["terms"] and a["deletes"] and a["prefixes"]
    for key in a:
        assert a[key] == b[key], key
    assert not list(tmp_path.glob("*.index-build*"))


def test_a_cancelled_aside_import_changes_nothing_and_leaves_no_build_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    _import(db, reference_dataset_path())
    before = _index(db)
    monkeypatch.setattr(importing, "ASIDE_MIN_BYTES", 0)
    ctx = open_context(db, default_policy_path(), seed_reference=False)

    def progress(phase: str, done: int, total: int) -> None:
        if phase.startswith("Writing names"):
            raise importing.ImportCancelled("stop")

    with pytest.raises(importing.ImportCancelled):
        importing.import_dataset(ctx, reference_dataset_path(), progress)
    ctx.close()
    assert _index(db) == before
    assert not list(tmp_path.glob("*.index-build*"))


_KILLED_PARENT = """
import sys
from pathlib import Path
from desktop_app.services.context import open_context
from desktop_app.store.index_builder import AsideBuilder

if __name__ == "__main__":
    ctx = open_context(sys.argv[1], seed_reference=False)
    with ctx.store.engine.connect() as conn, AsideBuilder(conn, Path(sys.argv[1])) as aside:
        for i in range(20_000):
            aside.add(f"x:{i}", f"Company number {i} Ltd", "name")
        print(aside._proc.pid, flush=True)
        sys.stdin.read()  # wait to be killed
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_the_index_process_ends_when_the_importing_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(_KILLED_PARENT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "k.db")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _running(worker):
        time.sleep(0.05)
    assert not _running(worker), "the index process outlived the import"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
