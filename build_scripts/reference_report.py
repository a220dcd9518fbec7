"""Regenerates docs/reference-data.md from the embedded reference dataset (counts are computed, not typed).

    python build_scripts/reference_report.py [--previous-from GIT_REVISION]

"What changed" compares the dataset with the previous version's figures, which this script records in
docs/reference-data-snapshot.json: statuses, `complete` marks, current stakes, LEIs and listed companies of
the previous version and of the current one. Rerunning it for the same dataset version keeps the previous
version's figures; a new version moves the recorded current figures to "previous". `--previous-from`
computes the previous version's figures from the reference data at a git revision instead.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.policy import load_policy  # noqa: E402
from desktop_app.importers.canonical import read_dataset  # noqa: E402
from desktop_app.importers.records import CanonicalDataset, determine_dataset  # noqa: E402
from desktop_app.locations import default_policy_path, reference_dataset_path  # noqa: E402
from desktop_app.services import info  # noqa: E402
from desktop_app.services.context import open_context  # noqa: E402

INTRO = """# Reference data

The embedded reference dataset (`data/reference/`) lets a fresh install answer at once, offline,
before a compliance team loads its own data. **It is compiled from public reporting as of its date,
is not authoritative, and must be checked before relying on it for a decision.**

## What it covers

- The groups named in the policy news — ByteDance, Tencent, Alibaba (with Ant Group) — with their
  listed or top holding companies (typically incorporated in the Cayman Islands, headquartered in
  mainland China), main operating companies, international subsidiaries (Singapore above all),
  acquisitions and significant minority stakes in well-known foreign companies.
- The other largest groups headquartered in China, Russia, Iran and North Korea (internet, AI labs,
  devices, telecoms, autos, batteries, energy, chemicals, finance, state-owned groups) with their
  notable foreign subsidiaries, acquisitions and joint ventures, and the state bodies that own them.
- Counterexamples a salesperson will meet: companies with a restricted owner below the review band,
  inside it and above the threshold; companies that moved their headquarters out of a restricted
  jurisdiction (e.g. Nebius, formerly Yandex N.V.; PDD Holdings; Shein's Singapore holding company);
  stakes that were sold (recorded with an end date); and unrelated companies that share words with
  restricted ones (e.g. China Airlines and China Steel, both Taiwanese).
- Names as people type them: legal names, short names, former names, brand names, and names in
  Chinese, Russian, Persian and Korean script; web domains as identifiers.

## How it was compiled

Each fact was taken from a public source — annual reports and exchange filings, company pages,
registers and reputable press — found in stored copies of public web pages, and every row of
every file names its source (`sources.csv`: title, publisher, URL, publication date). Percentages
are never invented: where a source gives no exact figure the share is a range (for example
"majority" is recorded as 50.01–100%) or left blank, and the note says so. Ownership is marked
`complete` only where the recorded owners account for the shareholding (dispersed public float
counted as such); otherwise `partial`, so the unrecorded rest counts toward what the data cannot
rule out, and an entity whose ownership is not closed is shown as review. For a listed company,
`complete` means: every holder at or above the market's disclosure threshold (5% in most markets, 3%
in the UK and Germany) in its latest annual report or filing is recorded with its share and date, the
rest is recorded as dispersed `public_float`, and its ticker is an identifier (`EXCHANGE:SYMBOL`).
A stake that changed keeps its earlier row with an end date. No LEI is recorded unless a source
stated it (annual reports, bond prospectuses, voting-rights notifications and ESEF filings name the
issuer's LEI), and every LEI passes the ISO 17442 check digits.

Headquarters follow the policy's meaning: where the entity is directed from (principal executive
offices), not its registered office or listing venue. Some calls are judgements and their notes say
so (for example PDD Holdings, whose filings give Dublin as principal executive offices).

## Replacing or extending it

A compliance team imports its own dataset in the same canonical format
(see `DESIGN.md`, "Canonical dataset format"):

    clearance import path/to/our-dataset        # a folder or a .zip
    clearance db info                           # datasets, versions, as-of dates
    clearance db remove reference               # drop the embedded reference data, if wanted

Entities that share an LEI with reference entities merge with them; re-importing a dataset id
replaces its previous version atomically.
"""


SNAPSHOT = ROOT / "docs" / "reference-data-snapshot.json"
STATUSES = ("restricted", "review", "eligible")


def statuses(ds: CanonicalDataset, as_of: date) -> dict[str, str]:
    """Every entity's status under the default policy, computed by the domain engine."""
    return {k: v[0] for k, v in determine_dataset(ds, load_policy(default_policy_path()), as_of).items()}


def snapshot(ds: CanonicalDataset, as_of: date) -> dict[str, object]:
    """The figures "what changed" compares: statuses, complete marks, current stakes, LEIs, listed companies."""
    counts = collections.Counter(statuses(ds, as_of).values())
    stakes: dict[str, str] = {}
    for r in ds.relationships:
        if (r.start_date and r.start_date > as_of) or (r.end_date and r.end_date <= as_of):
            continue
        stakes[f"{r.owner_id}>{r.owned_id}>{r.kind}"] = _interval(r.share_min, r.share_max)
    leis = {e.lei for e in ds.entities if e.lei} | {i.value for i in ds.identifiers if i.scheme == "lei"}
    listed = {i.entity_id for i in ds.identifiers if i.scheme == "ticker"}
    return {
        "version": ds.meta.version,
        "as_of": ds.meta.as_of.isoformat(),
        "statuses_on": as_of.isoformat(),
        "entities": len(ds.entities),
        "statuses": {k: counts.get(k, 0) for k in STATUSES},
        "complete": sorted(e.id for e in ds.entities if e.ownership == "complete"),
        "stakes": dict(sorted(stakes.items())),
        "leis": len(leis),
        "listed": len(listed),
        "listed_with_float": sum(
            1 for e in ds.entities if e.id in listed and getattr(e, "public_float", None) is not None
        ),
    }


def dataset_at(revision: str, tmp: Path) -> CanonicalDataset:
    """The reference dataset as it was at a git revision."""
    folder = tmp / "previous"
    folder.mkdir()
    rel = Path(reference_dataset_path()).resolve().relative_to(ROOT)
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{revision}:{rel.as_posix()}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        blob = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{revision}:{rel.as_posix()}/{name}"], check=True, capture_output=True
        ).stdout
        (folder / name).write_bytes(blob)
    return read_dataset(folder)


def changes(prev: dict, cur: dict) -> list[str]:  # type: ignore[type-arg]
    """Markdown lines: what changed from the previous version's figures to the current ones."""
    lines = [
        f"## What changed since version {prev['version']}",
        "",
        f"Previous version {prev['version']} (as of {prev['as_of']}), statuses computed on {prev['statuses_on']}; "
        f"this version {cur['version']} (as of {cur['as_of']}), statuses computed on {cur['statuses_on']}.",
        "",
        "| | previous | now | change |",
        "|---|---:|---:|---:|",
        f"| entities | {prev['entities']:,} | {cur['entities']:,} | {cur['entities'] - prev['entities']:+,} |",
    ]
    for k in STATUSES:
        a, b = prev["statuses"][k], cur["statuses"][k]
        lines.append(f"| {k} | {a:,} | {b:,} | {b - a:+,} |")
    pc, cc = set(prev["complete"]), set(cur["complete"])
    lines.append(f"| ownership `complete` | {len(pc):,} | {len(cc):,} | {len(cc) - len(pc):+,} |")
    for key, label in (
        ("leis", "LEIs"),
        ("listed", "listed companies (ticker)"),
        ("listed_with_float", "… with float"),
    ):
        lines.append(
            f"| {label} | {prev.get(key, 0):,} | {cur.get(key, 0):,} | {cur.get(key, 0) - prev.get(key, 0):+,} |"
        )
    ps, cs = prev["stakes"], cur["stakes"]
    changed = sorted(k for k in ps.keys() & cs.keys() if ps[k] != cs[k])
    ended = sorted(ps.keys() - cs.keys())
    started = sorted(cs.keys() - ps.keys())
    lines += [
        "",
        f"Stakes in force, compared by owner, owned entity and kind: {len(changed):,} changed share, "
        f"{len(started):,} new, {len(ended):,} no longer in force.",
        "",
    ]
    for k in changed:
        owner, owned, kind = k.split(">")
        lines.append(f"- {owner} → {owned} ({kind}): {_share(ps[k])} → {_share(cs[k])}")
    withdrawn = sorted(pc - cc)
    lines += [
        "",
        f"`complete` marks withdrawn ({len(withdrawn)}): ownership no longer marked complete because the recorded "
        "owners do not account for the entity (control rows without a share, blank shares, or owners that do not "
        "sum to 100% with no float stated); persons and state bodies need no mark.",
        "",
        ", ".join(f"`{w}`" for w in withdrawn) if withdrawn else "none",
        "",
        f"`complete` marks added ({len(cc - pc)}): " + (", ".join(f"`{a}`" for a in sorted(cc - pc)) or "none"),
        "",
    ]
    return lines


def _interval(lo: float | None, hi: float | None) -> str:
    """A share interval as recorded in the snapshot: "min|max", blank for unknown."""
    return f"{'' if lo is None else f'{lo:g}'}|{'' if hi is None else f'{hi:g}'}"


def _share(v: str) -> str:
    lo, hi = v.split("|")
    if not lo and not hi:
        return "share not known"
    if lo == hi:
        return f"{lo}%"
    return f"{lo or 0}–{hi or 100}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--previous-from", metavar="GIT_REVISION", help="compute the previous version's figures from git"
    )
    args = parser.parse_args()
    today = date.today()
    ds = read_dataset(reference_dataset_path())
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp) / "ref.db", seed_reference=True)
        try:
            table = info.status_by_country(ctx)
        finally:
            ctx.close()
        recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.is_file() else {}
        current = snapshot(ds, today)
        if args.previous_from:
            previous = snapshot(dataset_at(args.previous_from, Path(tmp)), today)
        elif recorded.get("current", {}).get("version") == ds.meta.version:
            previous = recorded.get("previous")
        else:
            previous = recorded.get("current")
    SNAPSHOT.write_text(
        json.dumps({"previous": previous, "current": current}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    kinds = collections.Counter(e.kind for e in ds.entities)
    totals: collections.Counter[str] = collections.Counter()
    for row in table:
        for k in ("restricted", "review", "eligible", "total"):
            totals[k] += row[k]
    if {k: totals[k] for k in STATUSES} != current["statuses"]:
        print(f"warning: the store's statuses {dict(totals)} differ from the engine's {current['statuses']}")
    as_ofs = collections.Counter(s.as_of.year for s in ds.sources if s.as_of)
    recent = sum(v for y, v in as_ofs.items() if y >= today.year - 2)
    lines = [
        INTRO,
        "## Figures",
        "",
        f"Dataset `{ds.meta.id}` version {ds.meta.version}, as of **{ds.meta.as_of}**; statuses under the "
        f"default policy as of {today}.",
        "",
        f"- {len(ds.entities):,} entities ({', '.join(f'{v:,} {k}' for k, v in kinds.most_common())})",
        f"- {len(ds.relationships):,} relationships, {len(ds.names):,} names, "
        f"{len(ds.identifiers):,} identifiers, {len(ds.sources):,} sources",
        f"- statuses: {totals['restricted']:,} restricted, {totals['review']:,} review, "
        f"{totals['eligible']:,} eligible",
        f"- ownership marked `complete`: {len(current['complete']):,}; listed companies with ticker and float: "
        f"{current['listed_with_float']:,}; LEIs: {current['leis']:,}",
        f"- sources by the date their facts were true (`as_of`): {recent:,} from {today.year - 2} or later, "
        f"{len(ds.sources) - recent:,} older; earliest {min(as_ofs) if as_ofs else '-'}, "
        f"latest {max(as_ofs) if as_ofs else '-'}",
        "",
    ]
    if previous:
        lines += changes(previous, current)
    lines += [
        "### Statuses by headquarters country",
        "",
        "(incorporation country where headquarters are not on file)",
        "",
        "| HQ country | restricted | review | eligible | total |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['country']} | {r['restricted']} | {r['review']} | {r['eligible']} | {r['total']} |" for r in table]
    lines += ["", "Generated by `python build_scripts/reference_report.py`.", ""]
    (ROOT / "docs" / "reference-data.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote docs/reference-data.md ({len(table)} countries) and {SNAPSHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
