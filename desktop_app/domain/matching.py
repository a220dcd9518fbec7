"""The match decision: how alike a typed name and a name on file are, and whether a query names an entity.

One decision serves the window, `check`, `batch` and every other caller, so they cannot disagree:

- **scoring** (0–100): distinctive words decide, weighed by how rare they are among the names on file
  (a rare word the candidate lacks weighs against it; "bank" or "air" only supports); weak words and
  legal forms only nudge; numbers, ordinals, Roman numerals and series must agree; one edit or
  transposition in a word of five letters or more that no name holds is read as the word it misspells;
  a place typed with the name narrows the choice by country instead of counting as a name word;
- **the match rule**: the best candidate reaches MATCH_THRESHOLD and leads every different entity by
  MATCH_MARGIN (or matched an identifier exactly where the runner-up did not);
- **the group rule**: candidates tied at the top that form one ownership family (a shared domain or
  brand) are answered by the family's parent, saying what is shared and by how many entities;
- **the possible-match rule**: other candidates are shown for checking only when they share a
  distinctive word or an identifier with the query and score at least ALTERNATIVE_FLOOR; at most
  POSSIBLE_MAX of them.

Pure: the callers read the index and the ownership graph and hand in what is needed.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib.resources import files
from typing import Protocol, TypeVar

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from desktop_app.domain.countries import country_names
from desktop_app.domain.names import WEAK_WORDS, AnalyzedName, analyze, only_legal_forms

# Fitted on tests/search/eval_tuning.csv only (the held-out part measures): below 82 look-alikes
# ("Gazprom Media", "Apple Bank") would be taken as matches; 86 keeps a margin of safety.
MATCH_THRESHOLD = 86.0  # score the best candidate must reach to be the match
MATCH_MARGIN = 3.0  # lead it must have over a different entity (a legal form makes 3 to 6 points)
ALTERNATIVE_FLOOR = 60.0  # candidates scoring lower are never shown as possible matches
POSSIBLE_MAX = 5  # possible matches shown at most
FORMER_NAME_COST = 3.0  # a name no longer used is weaker evidence: "Yandex" is MKPAO Yandex, not Nebius
TYPO_COST = 2.0  # a word read as the word it misspells (per edit)
LONG_TYPO_MIN = 8  # a distinctive word this long may hold two edits and still be read as the word it misspells
GENERIC_ONLY_COST = 20.0  # a query of common words only, against a name with a distinctive word it lacks
SWAP_COST = 6.0  # a word of the query is missing where the name has a word of its own instead
ORDER_COST = 5.0  # the query's distinctive words in another order than the name's: "Bank China" is rather
# "Bank of China" than "China Bank", yet "Neft Gazprom" still finds Gazprom Neft
WEAK_TYPO_MIN = 4  # an unknown word this long, one edit from a weak word of five letters or more, is that word
RARE_MISSING_COST = 22.0  # the whole weight of the query's words missing from a name
NUMBER_MISMATCH_COST = 30.0  # "Fund VIII" is not "Fund IX"
NUMBER_ADDED_COST = 15.0  # the query has a number the name lacks: "Nord Stream 3" is not "Nord Stream"
NUMBER_LACKING_COST = 6.0  # the name has a number the query lacks: "Nord Stream" is rather "Nord Stream AG"
PLACE_MISSING_COST = 4.0  # a place typed with the name that the name lacks ("Beijing ByteDance" → ByteDance Ltd.)
PLACE_OTHER_COUNTRY_COST = 16.0  # … and the entity is of another country: "DBS Bank Singapore" is not in Hong Kong
TRANSLITERATED_COST = 4.0  # a name typed in a script other than Latin, found in another script: it agrees only
# through a transliteration ("Яндекс" is МКПАО «Яндекс» rather than Yandex N.V.)
PART_COST = 1.0  # a name given in parentheses within a longer name ("… (stc)") is a little weaker evidence
BRAND_SCORE = 92.0  # a word that only one entity's names hold, typed alone, as the first word of its name
RERANK = 100  # candidates scored in full; the rest are first sifted by vectorised rapidfuzz
COMPLETION_RERANK = 40  # … for the completions shown beside a decision while typing (five at most)
GENERIC_WEIGHT = 1.0  # weight of a common industry word or a place, whatever its rarity
NAME_KINDS = frozenset({"name", "alias", "former name", "local name", "trade name", "transliteration"})
EXACT_KINDS = ("domain", "lei", "registration")


@cache
def _generic_words() -> frozenset[str]:
    text = files("desktop_app.domain").joinpath("generic_words.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())


GENERIC_WORDS = _generic_words()  # common words of company names ("bank", "air"): never distinctive

# Abbreviations of weak words: as weak as the words they stand for ("Alibaba Grp").
WEAK_ABBREVIATIONS: frozenset[str] = frozenset({"grp", "hldg", "hldgs", "intl", "mgmt", "svcs", "svc", "tech",
                                                "ind", "inds", "entp", "invt", "invts", "dev"})
_WEAK = WEAK_WORDS | WEAK_ABBREVIATIONS

_FORM_CANON = {"limited": "ltd", "corporation": "corp", "incorporated": "inc", "company": "co",
               "private": "pte", "pvt": "pte"}


class NameLike(Protocol):
    """A name on file as the index gives it."""

    @property
    def entity_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def matched_on(self) -> str: ...
    @property
    def norm(self) -> str: ...
    @property
    def forms(self) -> str: ...


NameLikeT = TypeVar("NameLikeT", bound=NameLike)


@dataclass(frozen=True)
class Rarity:
    """How many names on file hold each word (document frequency), out of `total` names."""

    df: Mapping[str, int] = field(default_factory=dict)
    total: int = 0

    def known(self, word: str) -> bool:
        return self.df.get(word, 0) > 0 or not self.total

    def weight(self, word: str) -> float:
        if word in GENERIC_WORDS or word in places():
            return GENERIC_WEIGHT
        if not self.total:
            return 3.0
        return 1.0 + math.log((self.total + 1) / (self.df.get(word, 0) + 1))


# ------------------------------------------------------------------------------------------ numbers

_ONES = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                               "ninety"))}
_ORDINALS = {w: i + 1 for i, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"))}
_ORDINALS.update({w[:-1] + "ieth": n for w, n in _TENS.items()})
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_MIXED = re.compile(r"\d+|[a-z]+")


def _roman(word: str) -> int | None:
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for a, b in zip(word, [*word[1:], ""], strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b and _ROMAN_VALUES[b] > v else v
    return total


def _roman_context(tokens: Sequence[str], i: int) -> bool:
    """Whether a token may be a Roman numeral where it stands: a short one ("I", "V", "XI") only after
    a word and among words of four letters or more, not among syllables ("ne i beo", "xi yin")."""
    if len(tokens[i]) > 2 and tokens[i] != "xii":
        return True
    if i == 0:
        return False
    return all(len(tokens[j]) >= 4 for j in (i - 1, i + 1) if 0 <= j < len(tokens))


def _number_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    m = _ORDINAL_DIGITS.match(word)
    if m:
        return int(m.group(1))
    if word in _ONES:
        return _ONES[word]
    return _ORDINALS.get(word)


_NUMBER_WORDS = frozenset(_ONES) | frozenset(_TENS) | frozenset(_ORDINALS)
_MAYBE_NUMBER = re.compile(r"\d|^[ivx]+$")


def read_numbers(tokens: Sequence[str], syllabic: bool = False) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The tokens with numbers in one spelling, and the numbers in order.

    "forty four" and "forty-four" → "44", "1st" and "first" → "1", Roman numerals after the first word
    → Arabic ("Fund VIII" → "fund 8"; a lone "I", "V" or "X" first is taken as a letter); digits inside a
    word count too ("X5" holds 5, "One97" holds 1 and 97).
    """
    if not any(t in _NUMBER_WORDS or _MAYBE_NUMBER.search(t) for t in tokens):
        return tuple(tokens), ()  # most names hold no number: said at once
    out: list[str] = []
    numbers: list[int] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        n: int | None = None
        if t in _TENS:
            n = _TENS[t]
            if i + 1 < len(tokens) and tokens[i + 1] in _ONES and 0 < _ONES[tokens[i + 1]] < 10:
                n += _ONES[tokens[i + 1]]
                i += 1
        elif (n := _number_word(t)) is None and not syllabic and _roman_context(tokens, i):
            n = _roman(t)
        if n is not None:
            out.append(str(n))
            numbers.append(n)
        elif any(c.isdigit() for c in t):
            out.append(t)
            for part in _MIXED.findall(t):
                v = _number_word(part)
                if v is not None:
                    numbers.append(v)
        else:
            out.append(t)
        i += 1
    return tuple(out), tuple(numbers)


def number_cost(query: tuple[int, ...], name: tuple[int, ...], prefix: bool) -> float:
    """What disagreeing numbers cost: another number, a number the name lacks, or one it adds."""
    if query == name:
        return 0.0
    if query and name:
        if prefix and len(query) <= len(name) and name[: len(query)] == query:
            return 0.0  # still typing the series
        return NUMBER_MISMATCH_COST
    if query:
        return NUMBER_ADDED_COST
    return 1.0 if prefix else NUMBER_LACKING_COST


_UNITS = [w for w, _ in sorted(_ONES.items(), key=lambda kv: kv[1])]
_TEN_WORDS = {n: w for w, n in _TENS.items()}


def _words_for(n: int) -> str | None:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TEN_WORDS[n - n % 10] + (" " + _UNITS[n % 10] if n % 10 else "")
    return None


def _roman_for(n: int) -> str | None:
    if not 0 < n < 40:
        return None
    tens, ones = divmod(n, 10)
    return "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][ones]


def spelling_variants(name: AnalyzedName) -> list[AnalyzedName]:
    """Other spellings of a typed name that names on file may use: its numbers as digits, as Roman
    numerals and as words ("3" / "iii" / "three"), and common transliteration variants folded."""
    out: list[AnalyzedName] = []
    digits, numbers = read_numbers(name.tokens, name.syllabic)
    if numbers:
        spelt: list[list[str]] = [[], []]
        for t in digits:
            n = int(t) if t.isdigit() else None
            roman = _roman_for(n) if n is not None else None
            words = _words_for(n) if n is not None else None
            spelt[0].append(roman or t)
            spelt[1].extend((words or t).split())
        for tokens in (list(digits), *spelt):
            if tuple(tokens) != name.tokens:
                out.append(AnalyzedName(tuple(tokens), name.legal_forms, name.syllabic))
    folded = tuple(fold(t) for t in name.tokens)
    if folded != name.tokens:
        out.append(AnalyzedName(folded, name.legal_forms, name.syllabic))
    unique: dict[tuple[str, ...], AnalyzedName] = {}
    for v in out:
        unique.setdefault(v.tokens, v)
    return list(unique.values())


# ------------------------------------------------------------------------------------------ syllables


@cache
def pinyin_syllables() -> frozenset[str]:
    """The Latin syllables that CJK ideographs are transliterated to ("zhong", "xing", "hai" …)."""
    out: set[str] = set()
    for code in range(0x4E00, 0xA000):
        out.update(s.lower() for s in re.findall(r"[A-Z][a-z]*", anyascii(chr(code))))
    return frozenset(out)


@cache
def split_syllables(word: str) -> tuple[str, ...] | None:
    """A romanised Chinese word as its syllables, fewest first ("zhongxing" → zhong xing, "xian" → xian),
    or None when the word is not made of syllables."""
    table = pinyin_syllables()
    if not word.isalpha() or len(word) > 30:
        return None
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in table:
                cand = (*head, word[start:end])
                prev = best[end]
                if prev is None or len(cand) < len(prev):
                    best[end] = cand
    return best[-1]


def syllable_variant(name: AnalyzedName) -> AnalyzedName | None:
    """A name typed in romanised Chinese, written as syllables however it was spaced: "Hik Vision"
    is not one, "Zhong Xing", "Zhongxing" and "Haikang Weishi" are (→ "zhong xing", "hai kang wei shi"),
    so that they are compared syllable by syllable with names written in Chinese characters."""
    if name.syllabic:
        return None
    tokens: list[str] = []
    for t in name.tokens:
        if t in _WEAK:
            tokens.append(t)
            continue
        split = split_syllables(t)
        if split is None:
            return None
        tokens.extend(split)
    if sum(t not in _WEAK for t in tokens) < 2:
        return None
    return AnalyzedName(tuple(tokens), name.legal_forms, True)


def _in_syllables(tokens: Sequence[str]) -> bool:
    table = pinyin_syllables()
    return len(tokens) >= 2 and all(t in table for t in tokens)


# ------------------------------------------------------------------------------------------ places


@cache
def places() -> dict[str, str]:
    """Place words (country names, other spellings, large cities) → country code."""
    out: dict[str, str] = {}
    for code, name in country_names().items():
        words = re.findall(r"[a-z]+", name.casefold())
        if words:
            out["".join(words) if len(words) > 1 else words[0]] = code
    for raw in files("desktop_app.domain").joinpath("places.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            word, code = line.split(",")
            out[word] = code
    return out


def place_words(tokens: Sequence[str]) -> dict[int, tuple[int, str]]:
    """Positions of place words in a name: start → (number of tokens, country). "hong kong" is one place."""
    table = places()
    found: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            joined = "".join(tokens[i : i + size])
            if len(tokens[i : i + size]) == size and joined in table:
                found[i] = (size, table[joined])
                i += size
                break
        else:
            i += 1
    return found


# ------------------------------------------------------------------------------------------ scoring


def _forms(tokens: Iterable[str]) -> set[str]:
    return {_FORM_CANON.get(t, t) for t in tokens}


def form_adjustment(query_forms: set[str], candidate_forms: str, typed: str = "") -> float:
    """Legal forms never make a match, but they tell apart entities whose names are otherwise equal:
    a form the user typed that the name lacks costs 5 points, a form the name adds costs 3, and a name
    written without any form (a brand or alias) costs 6 when the user typed one ("tiktok pte" is
    TikTok Pte. Ltd. rather than the brand "TikTok" of TikTok Ltd.)."""
    cf = _forms(candidate_forms.split())
    if typed and typed == candidate_forms.replace(" ", ""):
        cf = set(query_forms)  # the same form spaced otherwise: "youxian gongsi" is 有限公司 (you xian gong si)
    if not query_forms:
        return -0.3 if cf else 0.0  # "ByteDance" is closer to the alias "ByteDance" than to "Bytedance K.K."
    if not cf:
        return -6.0
    return -5.0 * min(2, len(query_forms - cf)) - 3.0 * min(2, len(cf - query_forms))


def _complete(q: list[str], c: list[str]) -> list[str]:
    """The query with its last, partly typed word completed from the candidate's words."""
    last = q[-1]
    if last in c:
        return q
    taken = set(q[:-1])
    for word in c:
        if word.startswith(last) and word not in taken:
            return [*q[:-1], word]
    return q


def _spans(tokens: Sequence[str], longest: int = 4) -> set[str]:
    """Every run of up to `longest` adjacent tokens, joined: spacing never decides."""
    return {"".join(tokens[i : i + k]) for i in range(len(tokens)) for k in range(1, longest + 1)
            if i + k <= len(tokens)}


_FOLDS = ((re.compile(r"ks"), "x"), (re.compile(r"^j(?=[aeou])"), "y"), (re.compile(r"^dzh"), "j"),
          (re.compile(r"kh"), "h"))
_DOUBLED = re.compile(r"([a-z])\1")  # "Avval" / "Aval", "Rossneft" / "Rosneft": in words of five letters or more
FOLD_COST = 4.0  # a name that agrees only once transliteration variants are folded


def _fold_letters(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def fold(word: str) -> str:
    """One spelling for common transliteration variants: "jandeks" → "yandex", "khan" → "han"."""
    word = _fold_letters(word)
    return _DOUBLED.sub(r"\1", word) if len(word) >= 5 else word


def _folds(word: str, rarity: Rarity) -> bool:
    """Whether a typed word is worth comparing folded: a variant spelling, or doubled letters in a word
    that no name holds ("Avval"; "Johnson" is on file as typed)."""
    if _fold_letters(word) != word:
        return True
    return fold(word) != word and not rarity.known(word)


@dataclass(frozen=True)
class Query:
    """A typed name prepared for scoring against many names."""

    name: AnalyzedName
    tokens: tuple[str, ...]  # all tokens, numbers in one spelling
    distinctive: tuple[str, ...]  # tokens that can make a match, numbers in one spelling
    numbers: tuple[int, ...]
    places: dict[int, tuple[int, str]]  # positions in `distinctive` of place words
    rarity: Rarity
    folded: bool  # compare folded spellings
    literal: frozenset[str] = frozenset()  # words typed in capitals ("NIOPDC"): acronyms, never read as typos

    @property
    def place_countries(self) -> set[str]:
        return {code for _, code in self.places.values()}


def acronyms(text: str) -> frozenset[str]:
    """Words typed in capitals, up to six letters: acronyms, which one letter tells apart ("NIOPDC", "NIORDC")."""
    return frozenset(w.casefold() for w in re.findall(r"\b[A-Z]{2,6}\b", text))


def prepare(name: AnalyzedName, rarity: Rarity | None = None, literal: frozenset[str] = frozenset()) -> Query:
    tokens, numbers = read_numbers(name.tokens, name.syllabic)
    distinctive = tuple(t for t in tokens if t not in _WEAK) or tokens
    found = place_words(distinctive) if len(distinctive) > 1 else {}
    if found and sum(size for size, _ in found.values()) >= len(distinctive):
        found = {}  # a name made only of places ("China", "Hong Kong") is a name
    rarity = rarity or Rarity()
    folded = any(_folds(t, rarity) for t in tokens)
    return Query(name, tokens, distinctive, numbers, found, rarity, folded, literal)


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    distinctive: tuple[str, ...]
    numbers: tuple[int, ...]
    norm: str
    syllables: bool  # written in syllables (a CJK name, or pinyin spaced by syllable)


@cache
def _read_name(norm: str) -> _Name:
    tokens, numbers = read_numbers(tuple(norm.split()))
    distinctive = tuple(t for t in tokens if t not in WEAK_WORDS) or tokens
    return _Name(tokens, distinctive, numbers, norm, _in_syllables(distinctive))


@lru_cache(maxsize=4_096)
def _query_spans(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_spans(tokens))


@lru_cache(maxsize=65_536)
def _name_spans(norm: str) -> frozenset[str]:
    return frozenset(_spans(_read_name(norm).tokens))


def _base_score(qd: list[str], cd: list[str], q_all: list[str], c_all: list[str], prefix: bool) -> float:
    """0–100 by character similarity: distinctive words first, all words a little."""
    qs, cs = " ".join(qd), " ".join(cd)
    qj, cj = qs.replace(" ", ""), cs.replace(" ", "")
    d = max(fuzz.ratio(qj, cj), fuzz.token_sort_ratio(qs, cs))
    if len(qd) > 1 or len(cd) > 1:
        # A candidate that lacks words the user typed is further off than one that adds words.
        cover = min(len(qj), len(cj)) / max(len(qj), len(cj))
        floor = 0.6 if len(qj) > len(cj) else 0.75
        d = max(d, fuzz.token_set_ratio(qs, cs) * (floor + (1.0 - floor) * cover))
    if prefix and len(qj) >= 2 and cj.startswith(qj):
        d = max(d, 90.0 + 10.0 * len(qj) / len(cj))
    q_full, c_full = " ".join(q_all), " ".join(c_all)
    return 0.9 * d + 0.1 * max(fuzz.ratio(q_full, c_full), fuzz.token_sort_ratio(q_full, c_full))


def _typo_target(word: str, candidates: Sequence[str], short: bool = False) -> tuple[str, int] | None:
    """The candidate word (and the edits) one edit or transposition from a typed word of five letters
    or more, or two from a word of LONG_TYPO_MIN letters or more ("Rossneftegas" → "rosneftegaz");
    with `short`, also two letters swapped in a word of four ("Nfet" → "neft")."""
    if word.isdigit() or len(word) < (4 if short else 5):
        return None
    limit = 2 if len(word) >= LONG_TYPO_MIN else 1
    best: tuple[str, int] | None = None
    for c in candidates:
        if c == word or c.isdigit():
            continue
        if len(word) == 4:
            if len(c) == 4 and sorted(c) == sorted(word) and DamerauLevenshtein.distance(word, c) == 1:
                return c, 1
            continue
        if len(c) < 5:
            continue
        allowed = limit if len(c) >= LONG_TYPO_MIN else 1
        d = DamerauLevenshtein.distance(word, c, score_cutoff=allowed)
        if d <= allowed and (best is None or d < best[1]):
            best = (c, d)
            if d == 1:
                break
    return best


@dataclass(frozen=True)
class NameScore:
    score: float
    shares: bool  # shares a distinctive word with the query
    place_missing: bool  # the query named a place the name does not hold


def name_score(query: Query | AnalyzedName, candidate_norm: str, prefix: bool = False) -> float:
    """0–100: how alike a typed name and a name on file are (legal forms aside)."""
    q = query if isinstance(query, Query) else prepare(query)
    return score_name(q, candidate_norm, prefix).score


def score_name(q: Query, candidate_norm: str, prefix: bool = False) -> NameScore:
    """How alike a typed name and a name on file are, and whether they share a distinctive word.

    Spacing does not matter ("byte dance" ≈ "bytedance"), nor word order; a name that holds the
    query's words and more scores lower the more it adds ("tencent" → "Tencent Music": 82).
    """
    cand = _read_name(candidate_norm)
    if not q.tokens or not cand.tokens:
        return NameScore(0.0, False, False)
    plain = _score(q, cand, prefix, folded=False)
    if not q.folded or plain.score >= 100.0 - FOLD_COST:
        return plain  # folding cannot raise it above the plain score
    folded = _score(q, cand, prefix, folded=True)
    return plain if plain.score >= folded.score - FOLD_COST else replace(folded, score=folded.score - FOLD_COST)


_LONG_WEAK = tuple(sorted(w for w in WEAK_WORDS if len(w) >= 5))


@lru_cache(maxsize=4_096)
def _weak_typo(word: str) -> bool:
    if len(word) < WEAK_TYPO_MIN or word.isdigit():
        return False
    hit = process.extractOne(word, _LONG_WEAK, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    return hit is not None


def _score(q: Query, cand: _Name, prefix: bool, folded: bool) -> NameScore:
    c_all, cd = list(cand.tokens), list(cand.distinctive)
    qd, q_all = list(q.distinctive), list(q.tokens)
    if folded:
        c_all, cd = [fold(t) for t in c_all], [fold(t) for t in cd]
        qd, q_all = [fold(t) for t in qd], [fold(t) for t in q_all]
    # a place the name does not hold is set aside (the caller weighs the entity's country instead)
    place_missing = False
    if q.places:
        c_text = " ".join(c_all)
        drop: set[int] = set()
        for start, (size, _) in q.places.items():
            if " ".join(qd[start : start + size]) not in c_text and "".join(qd[start : start + size]) not in c_all:
                drop.update(range(start, start + size))
        if drop:
            place_missing = True
            dropped = {qd[i] for i in drop}
            qd = [t for i, t in enumerate(qd) if i not in drop]
            q_all = [t for t in q_all if t not in dropped]
    cost = 0.0
    c_set = set(c_all)
    for i, t in enumerate(qd):  # a misspelt word that no name holds is read as the word it misspells
        if t not in c_set and not q.rarity.known(t) and t not in q.literal:
            hit = _typo_target(t, cd, short=len(qd) > 1)
            if hit is not None and hit[0] not in qd:
                target = hit[0]
                qd[i] = target
                q_all = [target if x == t else x for x in q_all]
                cost += TYPO_COST * hit[1]
            elif _weak_typo(t) and len(qd) > 1:  # "Alibaba Grup": a weak word misspelt says little
                qd[i] = ""
    qd = [t for t in qd if t]
    # a name written in syllables (Chinese characters, or pinyin spaced by syllable) is compared syllable
    # by syllable, and syllables typed together must stand together in it: "Zhong Xing" is in 中兴通讯
    # ("zhong xing tong xun"), not in 中国银行 ("zhong guo yin xing")
    apart: set[int] = set()
    if (cand.syllables and not folded) or (folded and _in_syllables(cd)):
        split = [split_syllables(t) for t in qd]
        if all(split) and sum(len(x or ()) for x in split) >= 2:
            qd = [syl for x in split for syl in (x or ())]
            pairs = set(itertools.pairwise(cd))
            apart = {i for i in range(len(qd))
                     if not any((qd[j], qd[j + 1]) in pairs for j in (i - 1, i) if 0 <= j < len(qd) - 1)}
    if prefix:
        qd = _complete(qd, cd)
        q_all = _complete(q_all, c_all)
    score = _base_score(qd, cd, q_all, c_all, prefix)
    # rare words of the query that the name lacks weigh against it; common ones only support
    c_spans = _spans(c_all) if folded else _name_spans(cand.norm)
    q_spans = _query_spans(tuple(qd))
    typed_on = len(qd)  # while typing, the last words joined may begin a word of the name ("byte d")
    if prefix:
        for i in range(len(qd)):
            tail = "".join(qd[i:])
            if any(c.startswith(tail) for c in c_spans):
                typed_on = i
                break
    total = missing = 0.0
    shares = False
    for k, t in enumerate(qd):
        w = q.rarity.weight(t)
        total += w
        held = k not in apart and (k >= typed_on or t in c_spans
                                   or any(c in q_spans and t in c for c in c_all))
        if held:
            shares = shares or (t not in GENERIC_WORDS and t not in places() and not t.isdigit())
        else:
            missing += w
    if total:
        score -= RARE_MISSING_COST * missing / total
    if missing and not prefix and any(u not in q_spans and not u.isdigit() and u not in places()
                                      and not any(u in t for t in q_spans) for u in cd):
        score -= SWAP_COST  # a word of the query stands where the name has another: "Deutsche Bank" ≠ "Deutsche Bahn"
    if qd and all(t in GENERIC_WORDS or (q.places and t in places()) for t in qd) and any(
            u not in q_spans and u not in GENERIC_WORDS and u not in places() and not u.isdigit() for u in cd):
        score -= GENERIC_ONLY_COST  # common words alone name no one: "Bank" is not T-Bank
    at = [cd.index(t) for t in qd if t in cd]
    if len(set(at)) > 1 and any(a > b for a, b in itertools.pairwise(at)):
        score -= ORDER_COST
    score -= number_cost(q.numbers, cand.numbers, prefix)
    return NameScore(score - cost, shares, place_missing)


def _sift(q: Query, cands: Sequence[NameLike], prefix: bool, rerank: int = RERANK) -> list[NameLike]:
    """The candidates worth scoring in full: those found first (the query's own normalized name, the
    rarest terms), and the best by cheap vectorised rapidfuzz scores on distinctive words, on the
    words joined, and on all words in any order."""
    if len(cands) <= rerank:
        return list(cands)
    qs = " ".join(q.name.distinctive)
    qj = qs.replace(" ", "")
    spaced = [" ".join(t for t in c.norm.split() if t not in WEAK_WORDS) or c.norm for c in cands]
    joined = [s.replace(" ", "") for s in spaced]
    part = rerank // 4
    keep = set(range(part))
    keep |= {i for _, _, i in process.extract(qs, spaced, scorer=fuzz.token_set_ratio, limit=part)}
    keep |= {i for _, _, i in process.extract(qj, joined, scorer=fuzz.ratio, limit=part)}
    keep |= {i for _, _, i in process.extract(q.name.norm, [c.norm for c in cands], scorer=fuzz.token_sort_ratio,
                                              limit=part)}
    if prefix:  # the names the typed text begins, the shortest first: the closest to complete
        starting = [i for i, j in enumerate(joined) if j.startswith(qj)]
        keep.update(sorted(starting, key=lambda i: (len(joined[i]), i))[:part])
    return [cands[i] for i in sorted(keep)]


@dataclass(frozen=True)
class Scored:
    """A candidate entity's best name for the query."""

    entity_id: str
    score: float
    matched_on: str
    matched_text: str
    shares: bool = True  # shares a distinctive word or an identifier with the query
    place_missing: bool = False


@lru_cache(maxsize=262_144)
def _lead(norm: str) -> tuple[str, ...]:
    """A name's distinctive words without places: what a brand typed alone is compared with."""
    return tuple(t for t in _read_name(norm).distinctive if t not in places())


@lru_cache(maxsize=65_536)
def _lead_spans(norm: str) -> frozenset[str]:
    return frozenset(_spans(_lead(norm)))


def brand_terms(q: Query) -> list[str]:
    """The index terms whose frequency the brand rule needs: the query's word, or its first two joined."""
    words = [t for t in q.distinctive if t not in places()]
    return [words[0] if len(words) == 1 else words[0] + words[1]] if 1 <= len(words) <= 3 else []


def _brand(q: Query, cands: Sequence[NameLike], rarity: Rarity) -> tuple[str, float] | None:
    """(entity, cost) when the query's distinctive words begin the names of only one entity ("Ubisoft" →
    Ubisoft Entertainment SA, "Tencent Music" → Tencent Music Entertainment Group), or the syllables of a
    CJK name typed stand anywhere in them (海康威视 in 杭州海康威视数字技术), no other entity's name holds
    them, and every name on file that holds them was read."""
    words = [t for t in q.distinctive if t not in places()]
    syllabic = q.name.syllabic  # a CJK or Hangul name typed: its syllables anywhere in a longer name
    if not 1 <= len(words) <= (8 if syllabic else 3) or q.numbers or words[0] in GENERIC_WORDS \
            or len("".join(words)) < 4:
        return None
    cost = 0.0
    leads = [_lead(c.norm) for c in cands]
    vocab: set[str] | None = None
    if len(words) == 2 and not syllabic:
        vocab = {t for lead in leads for t in lead}
        if words[0] + words[1] in vocab:
            words = [words[0] + words[1]]  # a brand typed in two words: "Hik Vision" is Hikvision
    for i, w in enumerate(words):
        if not rarity.known(w):
            vocab = vocab if vocab is not None else {t for lead in leads for t in lead}
            if w in vocab:
                continue
            hit = None if w in q.literal or syllabic else _typo_target(w, sorted(vocab))
            if hit is None:
                return None
            words[i] = hit[0]
            cost += TYPO_COST * hit[1]
    key = words[0] if len(words) == 1 else words[0] + words[1]
    n = len(words)
    run = tuple(words)
    holding: list[NameLike] = []
    starting: set[str] = set()
    for c, lead in zip(cands, leads, strict=True):
        at = [k for k in range(len(lead) - n + 1) if lead[k : k + n] == run]
        if len(words) > 1 and not syllabic:  # the first two words together, as the index holds them
            holds = any(lead[k : k + 2] == run[:2] for k in range(len(lead) - 1))
        elif syllabic:  # the syllables anywhere, or written together in pinyin ("Yunfan Tongxun")
            holds = bool(at) or "".join(words) in _lead_spans(c.norm)
        else:
            holds = bool(at)
        if holds:
            holding.append(c)
            if syllabic or (at and at[0] == 0):
                starting.add(c.entity_id)
    if len(starting) != 1 or {c.entity_id for c in holding} != starting:
        return None
    if rarity.total and rarity.df.get(key, 0) > len(holding):
        return None  # some names holding the words were not read: another entity may hold them
    return next(iter(starting)), cost


@dataclass(frozen=True)
class NamePart:
    norm: str
    forms: str
    former: bool


_QUALIFIERS = frozenset({"no", "pacific", "east", "west", "north", "south", "middle", "central", "region", "regional",
                         "branch", "unit", "division", "office", "representative", "in", "liquidation", "asia",
                         "europe", "africa", "america", "americas", "emea", "apac", "latam", "international"})
_PARENS = re.compile(r"\(([^()]*)\)")
_FORMER_LEAD = re.compile(r"^\s*(formerly|former|previously|ex|now|also|aka|a\.k\.a\.)\b[:.]?\s*", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def name_parts(name: str) -> tuple[NamePart, ...]:
    """The names a name on file gives in parentheses: "Lesta LLC (Lesta Studio / Lesta Games)" is also
    "Lesta Studio" and "Lesta Games", "Saudi Telecom Company (stc)" is also "stc", "Booking Holdings Inc.
    (formerly The Priceline Group)" was "The Priceline Group". A part made only of places, weak words or
    legal forms ("(Taiwan)", "(UK)", "(PJSC)") is a qualifier, not a name."""
    out: list[NamePart] = []
    whole = analyze(name).norm
    for inner in _PARENS.findall(name):
        for piece in re.split(r"[/;]", inner):
            lead = _FORMER_LEAD.match(piece)
            former = bool(lead) and lead.group(1).lower().startswith(("former", "previously", "ex"))  # type: ignore[union-attr]
            text = piece[lead.end():] if lead else piece
            a = analyze(text)
            placed = {i + k for i, (size, _) in place_words(a.tokens).items() for k in range(size)}
            if only_legal_forms(a) or all(t in _WEAK or t in GENERIC_WORDS or t in _QUALIFIERS or i in placed
                                          or t.isdigit() for i, t in enumerate(a.tokens)):
                continue
            if a.norm and a.norm != whole:
                out.append(NamePart(a.norm, " ".join(a.legal_forms), former))
    return tuple(out)


@lru_cache(maxsize=65_536)
def script_of(text: str) -> str | None:
    """The first script other than Latin a name is written in ("CYRILLIC", "CJK", "HANGUL" …), if any."""
    for ch in text:
        if ch.isalpha() and not ch.isascii():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script and script != "LATIN":
                return script
    return None


def score_candidates(variants: Sequence[AnalyzedName], cands: Sequence[NameLike], prefix: bool,
                     rarity: Rarity | None = None, sift: bool = True, literal: frozenset[str] = frozenset(),
                     typed: str = "", rerank: int = RERANK) -> dict[str, Scored]:
    """Each candidate entity's best name and score for the query's comparable forms (`literal`: words
    typed in capitals, see `acronyms`; `typed`: the text as typed, whose script a name on file may share;
    `rerank`: how many names are scored in full, the rest sifted first)."""
    rarity = rarity or Rarity()
    script = script_of(typed) if typed else None
    q_forms = _forms(variants[0].legal_forms)
    q_typed = "".join(variants[0].legal_forms)
    best: dict[str, Scored] = {}
    for variant in variants:
        q = prepare(variant, rarity, literal)
        pool = cands
        if variant.syllabic and not variants[0].syllabic:  # pinyin read as syllables: for names so written
            pool = [c for c in cands if _read_name(c.norm).syllables]
        for c in (_sift(q, pool, prefix, rerank) if sift else pool):
            s = score_name(q, c.norm, prefix)
            score = s.score + form_adjustment(q_forms, c.forms, q_typed)
            for part in name_parts(c.name) if "(" in c.name else ():
                ps = score_name(q, part.norm, prefix)
                part_score = ps.score + form_adjustment(q_forms, part.forms, q_typed) - PART_COST \
                    - (FORMER_NAME_COST if part.former else 0.0)
                if part_score > score:
                    s, score = ps, part_score
            if script is not None and script_of(c.name) != script:
                score -= TRANSLITERATED_COST
            if c.matched_on == "name":
                score += 0.05  # the primary name wins ties with an alias
            elif c.matched_on == "former name":
                score -= FORMER_NAME_COST
            prev = best.get(c.entity_id)
            if prev is None or score > prev.score:
                best[c.entity_id] = Scored(c.entity_id, score, c.matched_on, c.name, s.shares, s.place_missing)
        brand = _brand(q, cands, rarity)
        if brand is not None:
            entity, cost = brand
            hit = best.get(entity)
            if hit is not None and hit.score < BRAND_SCORE - cost:
                best[entity] = replace(hit, score=BRAND_SCORE - cost, shares=True)
    return best


def completing(typed: AnalyzedName, cands: Sequence[NameLikeT]) -> list[NameLikeT]:
    """The names the text typed may be the start of: a word of the name begins with the last word typed,
    or the name begins with the words typed run together ("byte d" → ByteDance)."""
    if typed.syllabic or not typed.tokens:
        return list(cands)  # a CJK name typed: any syllable may be the last typed
    last, joined = typed.tokens[-1], "".join(typed.tokens)
    return [c for c in cands
            if any(t.startswith(last) for t in c.norm.split()) or c.norm.replace(" ", "").startswith(joined)]


def narrow_by_place(scored: Mapping[str, Scored], countries: Mapping[str, str | None],
                    place_countries: set[str]) -> dict[str, Scored]:
    """A place typed with the name that the matched name does not hold costs PLACE_MISSING_COST, and
    PLACE_OTHER_COUNTRY_COST more when the entity is of another country (or of none on file)."""
    out = dict(scored)
    for eid, s in scored.items():
        if s.place_missing:
            other = countries.get(eid) not in place_countries
            out[eid] = replace(s, score=s.score - PLACE_MISSING_COST - (PLACE_OTHER_COUNTRY_COST if other else 0.0))
    return out


def shown_score(score: float) -> float:
    return max(0.0, min(100.0, round(score, 1)))


# ------------------------------------------------------------------------------------------ the decision


@dataclass(frozen=True)
class GroupNote:
    """A domain or name shared within one ownership family, answered by the family's parent."""

    parent_id: str
    shared: str  # what is shared: the domain or the name
    entities: int  # how many entities share it


@dataclass(frozen=True)
class Decision:
    match: str | None  # the entity the query names, or None: not on file
    possible: tuple[str, ...]  # other candidates to check (never the match), best first
    group: GroupNote | None = None

    @property
    def matched(self) -> bool:
        return self.match is not None


def _clear_lead(best: Scored, runner: Scored | None) -> bool:
    return runner is None or best.score - runner.score >= MATCH_MARGIN or (
        best.matched_on in EXACT_KINDS and runner.matched_on not in EXACT_KINDS)


def group_parent(hits: Sequence[Scored], ancestors_of: Callable[[str], set[str]]) -> GroupNote | None:
    """Among hits tied at the top, the one that owns most of the others, if they form one ownership family.

    A domain, brand or short name is often shared by a group's companies ("tiktok.com", "Temu"):
    the group's parent among them is what the query names.
    """
    if len(hits) < 2 or hits[0].score < MATCH_THRESHOLD:
        return None
    tied = [h for h in hits if hits[0].score - h.score < MATCH_MARGIN]
    if len(tied) < 2:
        return None
    ancestors = {h.entity_id: ancestors_of(h.entity_id) for h in tied}
    above = _parent_below(hits, tied, ancestors, ancestors_of)
    if above is not None:
        return above
    owns = {h.entity_id: sum(h.entity_id in ancestors[o.entity_id] for o in tied if o is not h) for h in tied}
    ranked = sorted(tied, key=lambda h: -owns[h.entity_id])
    top, second = ranked[0], ranked[1]
    if owns[top.entity_id] == 0 or owns[top.entity_id] == owns[second.entity_id]:
        return None
    family = ancestors[top.entity_id] | {top.entity_id}
    if all(family & (ancestors[h.entity_id] | {h.entity_id}) for h in tied):
        return GroupNote(top.entity_id, hits[0].matched_text, len(tied))
    return None


def _parent_below(
    hits: Sequence[Scored],
    tied: Sequence[Scored],
    ancestors: Mapping[str, set[str]],
    ancestors_of: Callable[[str], set[str]],
) -> GroupNote | None:
    """Subsidiaries tied on a brand ("Spotify AB", "Spotify GmbH") whose parent scores a little lower
    because its legal name adds a word ("Spotify Technology S.A."): the parent, when it also reaches the
    threshold, owns every tied one and is not owned by another such parent."""
    tied_ids = {h.entity_id for h in tied}
    parents = [
        h
        for h in hits
        if h.score >= MATCH_THRESHOLD
        and h.entity_id not in tied_ids
        and all(h.entity_id in ancestors[t.entity_id] for t in tied)
    ]
    if not parents:
        return None
    above = {p.entity_id: ancestors_of(p.entity_id) for p in parents}
    heads = [p for p in parents if not any(o.entity_id in above[p.entity_id] for o in parents if o is not p)]
    if len(heads) != 1:
        return None
    return GroupNote(heads[0].entity_id, hits[0].matched_text, len(tied) + 1)


def is_possible(hit: Scored) -> bool:
    """Worth showing as a possible match: close enough, and sharing a distinctive word or an identifier."""
    return hit.score >= ALTERNATIVE_FLOOR and (hit.shares or hit.matched_on not in NAME_KINDS)


def decide(hits: Sequence[Scored], ancestors_of: Callable[[str], set[str]] | None = None) -> Decision:
    """The match (or none), the group it was answered by, and the possible matches, for ranked hits."""
    if not hits:
        return Decision(None, ())
    best = hits[0]
    match: str | None = None
    group: GroupNote | None = None
    if best.score >= MATCH_THRESHOLD and _clear_lead(best, hits[1] if len(hits) > 1 else None):
        match = best.entity_id
    elif ancestors_of is not None:
        group = group_parent(hits, ancestors_of)
        match = group.parent_id if group else None
    possible = tuple(h.entity_id for h in hits if h.entity_id != match and is_possible(h))[:POSSIBLE_MAX]
    return Decision(match, possible, group)
