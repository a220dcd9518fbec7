"""The evaluation sets of matching and how an answer is tallied.

- held-out and tuning parts of the evaluation queries (`split_eval.py` made them once, by a fixed seed);
- negatives (`eval_negatives.csv`, made by `python tests/search/evalsets.py negatives`): made-up and
  mixed names whose distinctive words are not on file, and near misses of names on file that differ
  only in a number or a distinctive word; the right answer to each is "not on file";
- leave-one-out: aliases, former names and local-script names drawn at random from the reference
  data; each is taken out of the search index in turn, queried, and its entity expected.

An answer is *right* when `check` names an expected entity (or nothing, where nothing is expected),
*wrong* when it names any other entity, and *refused* when it names none although one was expected.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, text

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PARTS = {"tuning": HERE / "eval_tuning.csv", "heldout": HERE / "eval_heldout.csv"}
NEGATIVES = HERE / "eval_negatives.csv"
PREFIX = {"fixture": "search-fixture:", "reference": "reference:"}
LOO_SEED = 4242
LOO_SIZE = 300


@dataclass(frozen=True)
class Case:
    dataset: str
    query: str
    expected: frozenset[str]
    must_not_match: str | None
    category: str


def load_cases(dataset: str, parts: Iterable[str] = ("heldout",)) -> list[Case]:
    rows: list[dict[str, str]] = []
    for part in parts:
        with PARTS[part].open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    p = PREFIX[dataset]
    return [Case(r["dataset"], r["query"], frozenset(p + e for e in r["expected"].split("|") if e),
                 p + r["must_not_match"] if r["must_not_match"] else None, r["category"])
            for r in rows if r["dataset"] == dataset]


def load_negatives() -> list[Case]:
    with NEGATIVES.open(encoding="utf-8", newline="") as fh:
        return [Case("reference", r["query"], frozenset(), None, r["kind"]) for r in csv.DictReader(fh)]


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    refused: int = 0
    wrong_cases: list[str] = field(default_factory=list)
    refused_cases: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.refused

    def add(self, case: Case, match: str | None) -> None:
        if match is None:
            if case.expected:
                self.refused += 1
                self.refused_cases.append(case.query)
            else:
                self.right += 1
        elif match in case.expected and match != case.must_not_match:
            self.right += 1
        else:
            self.wrong += 1
            self.wrong_cases.append(f"{case.query!r} → {match}")

    def line(self) -> str:
        n = max(1, self.total)
        return (f"matched right {self.right / n:6.1%}  matched wrong {self.wrong / n:5.1%}  "
                f"refused {self.refused / n:5.1%}  ({self.total} queries)")


Decide = Callable[[str], str | None]  # query → the matched entity, or None


def tally(cases: Iterable[Case], decide: Decide) -> Tally:
    t = Tally()
    for case in cases:
        t.add(case, decide(case.query))
    return t


# ------------------------------------------------------------------------------------------ leave-one-out


@dataclass(frozen=True)
class Held:
    """One indexed name taken out of the index, with the rows that restore it."""

    name_id: int
    query: str
    expected: frozenset[str]
    kind: str


def loo_sample(conn: Connection, size: int = LOO_SIZE, seed: int = LOO_SEED) -> list[Held]:
    """Aliases, former names and local-script names of the index, drawn at random with a fixed seed.
    An entity is expected when it holds the same comparable name (entities of a group share brands)."""
    rows = conn.execute(text("SELECT id, entity_id, name, matched_on, norm FROM search_names "
                             "WHERE matched_on IN ('alias', 'former name', 'local name', 'trade name', "
                             "'transliteration') ORDER BY id")).all()
    holders: dict[str, set[str]] = {}
    for _, entity_id, _, _, norm in conn.execute(text("SELECT id, entity_id, name, matched_on, norm "
                                                      "FROM search_names")):
        holders.setdefault(norm, set()).add(entity_id)
    rng = random.Random(seed)
    picked = rng.sample(rows, min(size, len(rows)))
    return [Held(r[0], r[2], frozenset(holders[r[4]]), r[3]) for r in picked]


def without_name(conn: Connection, name_id: int) -> Callable[[Connection], None]:
    """Take one name out of the index (committed by the caller); returns what puts it back."""
    name = conn.execute(text("SELECT id, entity_id, name, matched_on, norm, forms FROM search_names "
                             "WHERE id = :i"), {"i": name_id}).one()
    postings = conn.execute(text("SELECT term, nlen, name_id FROM search_terms WHERE name_id = :i"),
                            {"i": name_id}).all()
    conn.execute(text("DELETE FROM search_terms WHERE name_id = :i"), {"i": name_id})
    conn.execute(text("DELETE FROM search_names WHERE id = :i"), {"i": name_id})
    for term, _, _ in postings:
        conn.execute(text("UPDATE search_vocab SET df = df - 1 WHERE term = :t"), {"t": term})

    def restore(conn: Connection) -> None:
        conn.execute(text("INSERT INTO search_names (id, entity_id, name, matched_on, norm, forms) "
                          "VALUES (:i, :e, :n, :m, :o, :f)"),
                     {"i": name[0], "e": name[1], "n": name[2], "m": name[3], "o": name[4], "f": name[5]})
        for term, nlen, nid in postings:
            conn.execute(text("INSERT INTO search_terms (term, nlen, name_id) VALUES (:t, :l, :i)"),
                         {"t": term, "l": nlen, "i": nid})
            conn.execute(text("UPDATE search_vocab SET df = df + 1 WHERE term = :t"), {"t": term})

    return restore


# ------------------------------------------------------------------------------------------ negatives

_SYLLABLES = ["ka", "lo", "mi", "ven", "dra", "tor", "bel", "quin", "zar", "pel", "vor", "nix", "sul", "gre",
              "mab", "ost", "rin", "fel", "dov", "jun", "tre", "cal", "mor", "vak", "lun", "ser", "bra", "kel",
              "zin", "hul", "par", "nev", "gol", "wim", "yas", "ter", "ful", "dax", "rob", "sen"]
_COMMON = ["bank", "air", "energy", "mobile", "telecom", "capital", "oil", "gas", "power", "shipping",
           "logistics", "pharma", "foods", "motors", "insurance", "securities", "media", "games", "cloud",
           "networks", "steel", "chemical", "airlines", "studios", "payments"]
_PLACES = ["singapore", "london", "shanghai", "beijing", "moscow", "hong kong", "europe", "asia", "america",
           "india", "germany", "japan", "korea", "dubai", "netherlands", "switzerland"]
_FORMS = ["Ltd.", "LLC", "GmbH", "S.A.", "Pte. Ltd.", "Inc.", "AG", "B.V.", "Co., Ltd.", "PJSC", "Limited", ""]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _vocabulary() -> tuple[set[str], set[str], list[list[str]]]:
    """Words and normalized names on file (reference data and evaluation companies), and names as words."""
    from desktop_app.domain.names import analyze

    words: set[str] = set()
    norms: set[str] = set()
    names: list[list[str]] = []
    for folder in (REPO / "data" / "reference", HERE / "fixtures" / "companies"):
        for file, column in (("entities.csv", "name"), ("names.csv", "name")):
            with (folder / file).open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    a = analyze(row[column])
                    words.update(a.tokens)
                    norms.add(a.norm)
                    if row[column].isascii():
                        names.append(row[column].split())
    return words, norms, names


def _made_up(rng: random.Random, words: set[str]) -> str:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    long_words = [w for w in words if len(w) >= 4]
    while True:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3))))
        if w in words or len(w) < 5:
            continue
        near = process.extractOne(w, long_words, scorer=Levenshtein.distance, score_cutoff=2)
        if near is None:
            return w


def make_negatives(n_each: int = 130, seed: int = 777) -> list[tuple[str, str]]:
    """(query, kind) pairs whose right answer is "not on file"."""
    from desktop_app.domain.names import WEAK_WORDS, analyze

    rng = random.Random(seed)
    words, norms, names = _vocabulary()
    out: dict[str, str] = {}

    def add(query: str, kind: str) -> None:
        query = " ".join(query.split())
        if query and analyze(query).norm not in norms:
            out.setdefault(query, kind)

    target = 0
    target += n_each
    while len(out) < target:  # made-up names
        parts = [_made_up(rng, words).capitalize() for _ in range(rng.choice((1, 1, 2)))]
        if rng.random() < 0.5:
            parts.append(rng.choice(_COMMON).capitalize())
        add(" ".join(parts) + " " + rng.choice(_FORMS), "made-up")
    target += n_each
    while len(out) < target:  # a made-up distinctive word with common words and places on file
        parts = [_made_up(rng, words).capitalize(), rng.choice(_COMMON).capitalize()]
        if rng.random() < 0.6:
            parts.append(rng.choice(_PLACES).title())
        add(" ".join(parts) + " " + rng.choice(_FORMS), "mixed")
    target += n_each
    multi = [n for n in names if len([w for w in analyze(" ".join(n)).distinctive if len(w) >= 3]) >= 2]
    while len(out) < target:  # a name on file with one distinctive word replaced
        name = list(rng.choice(multi))
        slots = [i for i, w in enumerate(name) if len(w) >= 4 and w.isalpha()
                 and w.lower() not in WEAK_WORDS and not analyze(w).legal_forms]
        if not slots:
            continue
        i = rng.choice(slots)
        name[i] = _made_up(rng, words).capitalize()
        add(" ".join(name), "distinctive-word")
    target += n_each
    numbered = [n for n in names if any(w.isdigit() or w in _ROMAN for w in n[1:])]
    tries = 0
    while len(out) < target and tries < 20_000:  # a name on file with another number or series
        tries += 1
        if numbered and rng.random() < 0.5:
            name = list(rng.choice(numbered))
            slots = [i for i, w in enumerate(name) if i > 0 and (w.isdigit() or w in _ROMAN)]
            i = rng.choice(slots)
            if name[i].isdigit():
                name[i] = str(int(name[i]) + rng.choice((1, 2, 3, 10)))
            else:
                name[i] = rng.choice([r for r in _ROMAN if r != name[i]])
            add(" ".join(name), "number")
        else:  # a made-up series of a fund, trust or partnership
            base = _made_up(rng, words).capitalize()
            fund = f"Fund {rng.choice(_ROMAN)}"
            trust = f"Trust {rng.randrange(1998, 2024)}-{rng.randrange(1, 9)}"
            series = rng.choice((fund, trust, f"Partners {rng.choice(_ROMAN)} LP", f"Capital {rng.randrange(2, 40)}"))
            add(f"{base} {series}", "number")
    return sorted(out.items(), key=lambda kv: (kv[1], kv[0]))


def write_negatives() -> None:
    rows = make_negatives()
    with NEGATIVES.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["query", "kind"])
        w.writerows(rows)
    print(f"{len(rows)} negatives → {NEGATIVES.name}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    if sys.argv[1:] == ["negatives"]:
        write_negatives()
    else:
        print("usage: python tests/search/evalsets.py negatives")
