"""What a register (GLEIF) says about who controls an entity, kept as notes and quoted in rationales.

The importer stores the register's own terms in a fixed note format; this module writes them and
turns them back into sentences, so the wording of a rationale lives in one place.
"""

from __future__ import annotations

import re
from datetime import date

PARENT_RELATIONS = frozenset(
    {"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY", "IS_INTERNATIONAL_BRANCH_OF"}
)
FUND_RELATIONS = frozenset({"IS_FUND-MANAGED_BY", "IS_SUBFUND_OF", "IS_FEEDER_TO"})
EXCEPTION_CATEGORIES = ("DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT")
# The register states that the controlling company is known or that none exists.
COMPLETE_REASONS = ("NON_CONSOLIDATING", "NATURAL_PERSONS", "NO_KNOWN_PERSON")
# A parent exists but is not disclosed (or has no LEI).
PARTIAL_REASONS = (
    "NON_PUBLIC",
    "NO_LEI",
    "BINDING_LEGAL_COMMITMENTS",
    "LEGAL_OBSTACLES",
    "DISCLOSURE_DETRIMENTAL",
    "DETRIMENT_NOT_EXCLUDED",
    "CONSENT_NOT_OBTAINED",
)
EXCEPTION_REASONS = COMPLETE_REASONS + PARTIAL_REASONS

_EXCEPTION = re.compile(r"^GLEIF reporting exception: (direct|ultimate) parent ([A-Z_]+)$")
_FUND = re.compile(r"^GLEIF (IS_FUND-MANAGED_BY|IS_SUBFUND_OF|IS_FEEDER_TO) ([A-Z0-9]{20})(?: (.+))?$")
_RELATION = re.compile(r"^GLEIF (IS_[A-Z_]+)(?: \(record \d+\))?$")

_COMPLETE_WORDS = {
    "NON_CONSOLIDATING": "GLEIF reports that no parent consolidates it",
    "NATURAL_PERSONS": "GLEIF reports that natural persons, not a company, control it",
    "NO_KNOWN_PERSON": "GLEIF reports that no known person controls it",
}
_PARTIAL_WORDS = {"NO_LEI": "GLEIF: a parent exists but has no LEI, so it is not in this source"}
_RELATION_WORDS = {
    "IS_DIRECTLY_CONSOLIDATED_BY": "consolidated by",
    "IS_ULTIMATELY_CONSOLIDATED_BY": "ultimately consolidated by",
    "IS_INTERNATIONAL_BRANCH_OF": "a branch of",
}
_FUND_WORDS = {"IS_FUND-MANAGED_BY": "managed by", "IS_SUBFUND_OF": "a sub-fund of", "IS_FEEDER_TO": "a feeder to"}


def exception_note(category: str, reason: str) -> str:
    which = "direct" if category.startswith("DIRECT") else "ultimate"
    return f"GLEIF reporting exception: {which} parent {reason}"


def fund_note(relation: str, other_lei: str, other_name: str | None) -> str:
    return f"GLEIF {relation} {other_lei}" + (f" {other_name}" if other_name else "")


def relationship_note(relation: str, record: int) -> str:
    return f"GLEIF {relation} (record {record})"


def relation_of(note: str | None) -> str | None:
    """The register's relationship type in a relationship note written by relationship_note()."""
    if not note:
        return None
    m = _RELATION.match(note)
    return m.group(1) if m and m.group(1) in _RELATION_WORDS else None


def relationship_sentence(note: str | None, owner_name: str, start: date | None) -> str | None:
    """'GLEIF: consolidated by X (IS_DIRECTLY_CONSOLIDATED_BY, since 2020-01-01)', or None for other notes."""
    relation = relation_of(note)
    if relation is None:
        return None
    since = f", since {start.isoformat()}" if start else ""
    return f"GLEIF: {_RELATION_WORDS[relation]} {owner_name} ({relation}{since})."


def entity_sentences(note: str | None) -> list[str]:
    """Sentences quoting what the register says about an entity's parents, from its note."""
    if not note:
        return []
    exceptions: dict[str, list[str]] = {}
    out: list[str] = []
    for line in note.splitlines():
        line = line.strip()
        m = _EXCEPTION.match(line)
        if m:
            exceptions.setdefault(m.group(2), []).append(m.group(1))
            continue
        f = _FUND.match(line)
        if f:
            relation, lei, name = f.groups()
            who = f"{name} (LEI {lei})" if name else f"LEI {lei}"
            out.append(f"GLEIF: {_FUND_WORDS[relation]} {who} ({relation}); not ownership, so not counted.")
        elif line:
            out.append(line if line.endswith(".") else line + ".")
    sentences: list[str] = []
    for reason, which in exceptions.items():
        scope = "" if len(which) == 2 or len(exceptions) == 1 else f", {which[0]} parent"
        if reason in _COMPLETE_WORDS:
            sentences.append(f"{_COMPLETE_WORDS[reason]} ({reason}{scope}); minority holders are not in this source.")
        elif reason in PARTIAL_REASONS:
            head = _PARTIAL_WORDS.get(reason, "GLEIF: a parent exists but is not disclosed")
            sentences.append(f"{head} ({reason}{scope}) — review.")
        else:
            sentences.append(f"GLEIF reporting exception {reason}{scope}.")
    # Partial reasons first: they are what keeps the entity in review.
    sentences.sort(key=lambda s: not s.endswith("— review."))
    return sentences + out
