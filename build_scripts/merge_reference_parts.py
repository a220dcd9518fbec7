"""Merges parts of reference data (folders of canonical CSV rows) into data/reference, or checks them.

    python build_scripts/merge_reference_parts.py --check PART [PART ...]   # report problems and statuses only
    python build_scripts/merge_reference_parts.py PART [PART ...]           # merge into data/reference

A part is a folder with any of entities.csv, names.csv, identifiers.csv, relationships.csv and
sources.csv in the canonical columns. Its entities are new; its other rows may refer to entities
already in the reference data. An optional updates.csv (`entity_id`, and any of `ownership`,
`public_float`, `lei`, `hq_country`, `website`) changes entities already on file, after all parts
are merged. An optional ends.csv (`owner_id`, `owned_id`, `kind`, `start_date`, `end_date`) ends a
relationship already on file whose figure a newer row supersedes: the row with that owner,
owned entity, kind and start date (blank matches blank) gets the end date. The merged result is
validated with the canonical importer and the reference-data rules before anything is written;
nothing is written when a problem is found.
"""

from __future__ import annotations

import argparse
import collections
import csv
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.identifiers import is_valid_lei  # noqa: E402
from desktop_app.domain.policy import load_policy  # noqa: E402
from desktop_app.importers.canonical import COLUMNS, read_dataset  # noqa: E402
from desktop_app.importers.records import CanonicalDataset, DatasetError, determine_dataset  # noqa: E402
from desktop_app.locations import default_policy_path, reference_dataset_path  # noqa: E402

FILES = ("entities.csv", "names.csv", "identifiers.csv", "relationships.csv", "sources.csv")
UPDATABLE = ("ownership", "public_float", "lei", "hq_country", "website")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.exists():
        return [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: (v or "").strip() for k, v in r.items() if k is not None} for r in reader]
        return list(reader.fieldnames or []), rows


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in columns})


def merge(base: Path, parts: list[Path], out: Path) -> list[str]:
    """Writes base + parts into `out`; returns the problems found while merging (ids, references)."""
    problems: list[str] = []
    shutil.copy(base / "dataset.toml", out / "dataset.toml")
    tables: dict[str, list[dict[str, str]]] = {}
    for name in FILES:
        _cols, rows = read_rows(base / name)
        tables[name] = rows
    entity_ids = {r["id"] for r in tables["entities.csv"]}
    kinds = {r["id"]: (r.get("kind"), r.get("hq_country") or None) for r in tables["entities.csv"]}
    source_ids = {r["id"] for r in tables["sources.csv"]}
    by_name = {
        (r["name"].casefold(), r.get("hq_country") or r.get("incorporation_country")): r["id"]
        for r in tables["entities.csv"]
    }
    for part in parts:
        for name in FILES:
            cols, rows = read_rows(part / name)
            allowed = COLUMNS[name][0]
            for col in cols:
                if col not in allowed:
                    problems.append(f"{part.name}/{name}:1:{col}: unknown column (allowed: {', '.join(allowed)})")
            for i, r in enumerate(rows, start=2):
                where = f"{part.name}/{name}:{i}"
                if name == "entities.csv":
                    if r.get("id") in entity_ids:
                        same = kinds.get(r.get("id", ""), (None, None))[1] == (r.get("hq_country") or None)
                        if same:  # the same entity added twice (same id and headquarters): keep the first
                            print(f"note: {where}: {r.get('id')!r} is already on file; the first row is kept")
                        else:
                            problems.append(f"{where}:id: {r.get('id')!r} is already in the reference data or a part")
                        continue
                    kinds[r.get("id", "")] = (r.get("kind"), r.get("hq_country") or None)
                    key = (r.get("name", "").casefold(), r.get("hq_country") or r.get("incorporation_country"))
                    if key in by_name:
                        problems.append(
                            f"{where}:name: {r.get('name')!r} ({key[1]}) is already on file as {by_name[key]!r}"
                        )
                        continue
                    entity_ids.add(r.get("id", ""))
                    by_name[key] = r.get("id", "")
                    lei = r.get("lei", "")
                    if lei and not is_valid_lei(lei.upper()):
                        problems.append(f"{where}:lei: {lei!r} fails the ISO 17442 check digits")
                if name == "sources.csv":
                    if r.get("id") in source_ids:
                        problems.append(f"{where}:id: source {r.get('id')!r} is already defined")
                        continue
                    source_ids.add(r.get("id", ""))
                if (
                    name == "identifiers.csv"
                    and r.get("scheme") == "lei"
                    and not is_valid_lei(r.get("value", "").upper())
                ):
                    problems.append(f"{where}:value: {r.get('value')!r} fails the ISO 17442 check digits")
                tables[name].append(r)
    # Updates to entities already on file (in the reference data or in an earlier part).
    by_id = {r.get("id", ""): r for r in tables["entities.csv"]}
    for part in parts:
        _cols, rows = read_rows(part / "updates.csv")
        for i, r in enumerate(rows, start=2):
            target = by_id.get(r.get("entity_id", ""))
            if target is None:
                problems.append(f"{part.name}/updates.csv:{i}:entity_id: {r.get('entity_id')!r} is not on file")
                continue
            for col in UPDATABLE:
                if r.get(col):
                    target[col] = r[col]
    # Stakes on file that newer rows supersede get their end date.
    for part in parts:
        _cols, rows = read_rows(part / "ends.csv")
        for i, r in enumerate(rows, start=2):
            where = f"{part.name}/ends.csv:{i}"
            if not r.get("end_date"):
                problems.append(f"{where}:end_date: the date the stake ended is missing")
                continue
            owner, owned, kind, start = (r.get(c, "") for c in ("owner_id", "owned_id", "kind", "start_date"))
            hits = [
                rel
                for rel in tables["relationships.csv"]
                if (rel.get("owner_id"), rel.get("owned_id"), rel.get("kind"), rel.get("start_date", ""))
                == (owner, owned, kind, start)
            ]
            if not hits:
                problems.append(f"{where}:start_date: no {kind} row {owner} → {owned} starting {start or '(blank)'}")
            for rel in hits:
                if rel.get("end_date") and rel["end_date"] != r["end_date"]:
                    problems.append(f"{where}:end_date: that row already ends on {rel['end_date']}")
                    continue
                rel["end_date"] = r["end_date"]
    # Drop exact duplicate rows (the same name, identifier or relationship added twice).
    for name in ("names.csv", "identifiers.csv", "relationships.csv"):
        seen: set[tuple[str, ...]] = set()
        unique = []
        for r in tables[name]:
            key = tuple(r.get(c, "") for c in COLUMNS[name][0])
            if key not in seen:
                seen.add(key)
                unique.append(r)
        tables[name] = unique
    tables["entities.csv"].sort(key=lambda r: r.get("id", ""))
    for name in FILES:
        write_rows(out / name, list(COLUMNS[name][0]), tables[name])
    return problems


def reference_rules(ds: CanonicalDataset, only: set[str] | None = None) -> list[str]:
    """The reference data's own rules beyond the format (see tests/reference), for `only` these ids."""
    problems: list[str] = []
    today = date.today()
    ents = {e.id: e for e in ds.entities}
    tickers = {i.entity_id for i in ds.identifiers if i.scheme == "ticker"}
    current: dict[str, list[tuple[str, str, float | None, float | None]]] = collections.defaultdict(list)
    for r in ds.relationships:
        if (r.start_date and r.start_date > today) or (r.end_date and r.end_date <= today):
            continue
        current[r.owned_id].append((r.owner_id, r.kind, r.share_min, r.share_max))
    for e in ds.entities:
        if only is not None and e.id not in only:
            continue
        if e.lei and not is_valid_lei(e.lei):
            problems.append(f"entities.csv:{e.id}:lei: fails the check digits")
        if e.id in tickers and (e.public_float is None or e.ownership != "complete"):
            problems.append(
                f"entities.csv:{e.id}:public_float: a listed company (ticker) needs its float and complete ownership"
            )
        if e.ownership != "complete":
            continue
        per_owner: dict[str, tuple[float, float]] = {}
        rows = current.get(e.id, [])
        with_ownership = {owner for owner, kind, _lo, _hi in rows if kind == "ownership"}
        votes = sum(lo for _owner, kind, lo, _hi in rows if kind == "voting" and lo is not None)
        if votes > 100.5:
            problems.append(f"entities.csv:{e.id}:ownership: voting rows add up to at least {votes:g}%")
        for owner, kind, lo, hi in rows:
            # capital: an owner's voting rows count only when it has no ownership row (the float is capital)
            if kind == "control" or lo is None or (kind == "voting" and owner in with_ownership):
                continue
            prev = per_owner.get(owner, (0.0, 0.0))
            per_owner[owner] = (max(prev[0], lo), max(prev[1], hi if hi is not None else lo))
        total_min = sum(v[0] for v in per_owner.values())
        total_max = sum(v[1] for v in per_owner.values())
        flt = e.public_float or 0.0
        if total_min + flt > 100.5:
            problems.append(
                f"entities.csv:{e.id}:ownership: owners' minimum {total_min:g}% + float {flt:g}% exceed 100%"
            )
        if e.public_float is not None and total_max + flt < 99.0:
            problems.append(
                f"entities.csv:{e.id}:ownership: complete, but owners (at most {total_max:g}%) "
                f"+ float {flt:g}% leave a gap"
            )
        if e.public_float is None and e.kind not in ("person", "state_body") and per_owner and total_max < 99.0:
            problems.append(
                f"entities.csv:{e.id}:ownership: complete, but recorded shares reach at most {total_max:g}% "
                "and no public float is stated"
            )
        for owner in per_owner:
            if (
                owner in ents
                and ents[owner].kind != "person"
                and not (ents[owner].hq_country or ents[owner].incorporation_country)
            ):
                problems.append(f"entities.csv:{owner}:hq_country: an owner needs a country")
    return problems


def statuses(ds: CanonicalDataset) -> dict[str, tuple[str, float, float]]:
    return dict(determine_dataset(ds, load_policy(default_policy_path()), date.today()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report problems and statuses; write nothing")
    parser.add_argument("--quiet", action="store_true", help="do not list each new entity's status")
    args = parser.parse_args(argv)
    base = reference_dataset_path()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        problems = merge(base, args.parts, out)
        try:
            ds = read_dataset(out)
        except DatasetError as exc:
            problems.extend(exc.problems)
            ds = None
        if ds is not None:
            new_ids: list[str] = []
            for part in args.parts:
                _c, rows = read_rows(part / "entities.csv")
                new_ids.extend(r["id"] for r in rows)
            updated_ids: list[str] = []
            for part in args.parts:
                _c, rows = read_rows(part / "updates.csv")
                updated_ids.extend(r["entity_id"] for r in rows if r.get("entity_id") not in new_ids)
            problems.extend(reference_rules(ds))  # every entity: a part may add a ticker to one on file
            st = statuses(ds)
            names = {e.id: e.name for e in ds.entities}
            counts = collections.Counter(st[i][0] for i in new_ids if i in st)
            if not args.quiet:
                for i in new_ids:
                    if i in st:
                        s, lo, hi = st[i]
                        print(f"{s:10} {lo:6.2f}–{hi:6.2f}%  {i}  ({names[i]})")
                for i in updated_ids:
                    if i in st:
                        s, lo, hi = st[i]
                        print(f"{s:10} {lo:6.2f}–{hi:6.2f}%  {i}  ({names[i]}; updated)")
            updated = collections.Counter(st[i][0] for i in set(updated_ids) if i in st)
            print(
                f"new entities: {len(new_ids)}; by status: {dict(counts)}; updated entities by status: "
                f"{dict(updated)}; total entities: {len(ds.entities)}"
            )
        for p in problems:
            print(f"PROBLEM {p}", file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
            return 1
        if not args.check:
            for name in FILES:
                shutil.copy(out / name, base / name)
            print(f"merged into {base.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
