"""Regenerates docs/reference-data.md from the embedded reference dataset (counts are computed, not typed).

python build_scripts/reference_report.py
"""

from __future__ import annotations

import collections
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.importers.canonical import read_dataset  # noqa: E402
from desktop_app.locations import reference_dataset_path  # noqa: E402
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
rule out. No LEI is recorded unless a source stated it.

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


def main() -> None:
    ds = read_dataset(reference_dataset_path())
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp) / "ref.db", seed_reference=True)
        try:
            table = info.status_by_country(ctx)
        finally:
            ctx.close()
    kinds = collections.Counter(e.kind for e in ds.entities)
    totals = collections.Counter()
    for row in table:
        for k in ("restricted", "review", "eligible", "total"):
            totals[k] += row[k]
    lines = [
        INTRO,
        "## Figures",
        "",
        f"Dataset `{ds.meta.id}` version {ds.meta.version}, as of **{ds.meta.as_of}**; statuses under the "
        f"default policy as of {date.today()}.",
        "",
        f"- {len(ds.entities):,} entities ({', '.join(f'{v:,} {k}' for k, v in kinds.most_common())})",
        f"- {len(ds.relationships):,} relationships, {len(ds.names):,} names, "
        f"{len(ds.identifiers):,} identifiers, {len(ds.sources):,} sources",
        f"- statuses: {totals['restricted']:,} restricted, {totals['review']:,} review, "
        f"{totals['eligible']:,} eligible",
        "",
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
    print(f"wrote docs/reference-data.md ({len(table)} countries)")


if __name__ == "__main__":
    main()
