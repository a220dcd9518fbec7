"""Name normalization for matching: NFKC, case folding, punctuation, legal forms, transliteration to Latin.

`analyze("TikTok Pte. Ltd.")` gives the tokens `("tiktok",)` and the legal forms `("pte", "ltd")`;
`analyze("腾讯控股有限公司")` gives `("teng", "xun", "holdings")` with the legal form set aside and 控股
read as the weak word "holdings". Transliteration is anyascii (pure Python, every script); where the
common English spelling of a Cyrillic name differs from it ("Яндекс": "yandeks", usually "Yandex"),
`name_variants` also gives that spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

MAX_INPUT = 1000  # characters of a name that are looked at

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u1100-\u11ff\u3130-\u318f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_APOSTROPHES = re.compile(r"['’ʼ`´‘ʹ]")
_WORD = re.compile(r"[^\W_]+")
_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+|[0-9]+")
_LATIN_TOKEN = re.compile(r"[a-z0-9]+")

# Words that say little on their own: they never make a match by themselves.
WEAK_WORDS: frozenset[str] = frozenset(
    [
        "group", "groups", "holding", "holdings", "international", "intl", "company", "companies", "trading",
        "technology", "technologies", "tech", "the", "and", "of", "des", "et", "und", "for", "y", "del", "van",
        "von", "der", "den", "co", "corp", "corporation", "limited", "ltd", "inc", "incorporated", "llc", "plc",
        "sa", "ag", "gmbh", "bv", "nv", "global", "industries", "industry", "industrial", "enterprise",
        "enterprises", "services", "service", "systems", "solutions", "partners", "ventures", "investment",
        "investments", "capital", "management", "development", "worldwide",
    ]
)
# Short words such as "de", "la", "di" are left out on purpose: they are also Chinese syllables ("比亚迪" → bi ya di).

# Native words at the end of a CJK name that mean a weak English word: they are read as that word.
_NATIVE_WEAK: dict[str, str] = {
    "集团": "group", "集團": "group", "控股": "holdings", "科技": "technology", "技术": "technology",
    "國際": "international", "国际": "international", "实业": "industries", "實業": "industries",
    "贸易": "trading", "貿易": "trading", "投资": "investment", "投資": "investment",
    "ホールディングス": "holdings", "グループ": "group", "그룹": "group", "홀딩스": "holdings",
}

# The same weak words written in pinyin after a name ("Huawei Jishu", "Tengxun Konggu"): read as English.
_PINYIN_WEAK: dict[str, str] = {
    "jituan": "group", "konggu": "holdings", "keji": "technology", "jishu": "technology", "guoji": "international",
    "shiye": "industries", "maoyi": "trading", "touzi": "investment",
}

# Cyrillic spellings whose usual English transliteration differs from anyascii's (letters, in order).
_CYRILLIC_ENGLISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        ("кс", "x"), ("[иы]й$", "y"), ("й", "i"), ("[ьъ]", ""), ("ё", "e"),
    )
)

# Legal forms that also stand before the name ("PJSC Gazprom", "PT Astra", "ООО Ромашка").
_PREFIX_FORMS: frozenset[tuple[str, ...]] = frozenset(
    (f,) for f in [
        "ooo", "oao", "zao", "pao", "ao", "nao", "mkpao", "pjsc", "ojsc", "cjsc", "jsc", "pt", "cv", "ооо", "оао",
        "зао", "пао", "ао", "нао", "мкпао", "ип", "شرکت",
    ]
)


@dataclass(frozen=True)
class AnalyzedName:
    """A name as matching sees it: Latin tokens without legal forms, and the legal forms set aside."""

    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()
    syllabic: bool = False  # tokens are syllables of a CJK or Hangul name
    norm: str = field(init=False, repr=False, compare=False)
    distinctive: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """Tokens that can make a match on their own (all tokens if every one is weak)."""

    def __post_init__(self) -> None:
        strong = tuple(t for t in self.tokens if t not in WEAK_WORDS)
        object.__setattr__(self, "norm", " ".join(self.tokens))
        object.__setattr__(self, "distinctive", strong or self.tokens)

    @property
    def distinctive_joined(self) -> str:
        return "".join(self.distinctive)


def _merge_initials(words: list[str]) -> list[str]:
    """Runs of single letters become one word: 's a' → 'sa', 'i b m' → 'ibm'."""
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha() and not _CJK.match(w):
            run.append(w)
            continue
        if run:
            out.append("".join(run))
            run = []
        if w:
            out.append(w)
    return out


# Accented Latin letters read as their base letters before legal forms are looked for ("S.à r.l.").
_LATIN_ACCENTS: dict[int, str] = {c: anyascii(chr(c)).lower() for c in range(0xC0, 0x250) if chr(c).isalpha()}


def _words(text: str) -> list[str]:
    cleaned = _APOSTROPHES.sub("", clean(text)).translate(_LATIN_ACCENTS)
    return _merge_initials(_WORD.findall(cleaned))


@cache
def _legal_forms() -> tuple[frozenset[tuple[str, ...]], tuple[str, ...]]:
    """Legal forms as word tuples, and CJK suffixes (longest first)."""
    text = files("desktop_app.domain").joinpath("legal_forms.txt").read_text(encoding="utf-8")
    words: set[tuple[str, ...]] = set()
    cjk: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if _CJK.search(line):
            cjk.add(clean(line).replace(" ", ""))
        else:
            form = tuple(_words(line))
            if form:
                words.add(form)
    return frozenset(words), tuple(sorted(cjk, key=len, reverse=True))


@cache
def _form_words() -> frozenset[str]:
    """Every word that is part of some legal form: a name without any needs no closer look."""
    latin, _ = _legal_forms()
    return frozenset(w for form in latin | _PREFIX_FORMS for w in form)


def clean(text: str) -> str:
    """NFKC, case folding, control and zero-width characters removed, spacing collapsed; length bounded."""
    text = unicodedata.normalize("NFKC", text[:MAX_INPUT])
    return " ".join(_CONTROL.sub(" ", text).casefold().split())


def _strip_cjk(word: str, forms: list[str], weak: list[str]) -> str:
    """Set aside CJK legal forms at either end of a word and read weak suffixes (集团, 控股 …) as weak words."""
    _, suffixes = _legal_forms()
    changed = True
    while changed:
        changed = False
        for form in suffixes:
            if word.endswith(form) and len(word) > len(form):
                word, changed = word[: -len(form)], True
                forms.append(form)
            elif word.startswith(form) and len(word) > len(form):
                word, changed = word[len(form):], True
                forms.append(form)
        for native, english in _NATIVE_WEAK.items():
            if word.endswith(native) and len(word) > len(native) + 1:
                word, changed = word[: -len(native)], True
                weak.insert(0, english)
    return word


def _split_legal_forms(words: list[str]) -> tuple[list[str], list[str]]:
    """(name words, legal-form words): forms at the end, prefix forms at the start, long forms anywhere."""
    latin, _ = _legal_forms()
    form_words = _form_words()
    if not any(w in form_words for w in words):
        return words, []
    forms: list[str] = []
    out = list(words)
    for size in (4, 3, 2, 1):  # prefix forms, and long forms written first
        head = tuple(out[:size])
        if len(out) > size and (head in _PREFIX_FORMS or (size > 1 and head in latin)):
            forms.extend(out[:size])
            out = out[size:]
    changed = True
    while changed and len(out) > 1:
        changed = False
        for size in range(min(4, len(out) - 1), 0, -1):
            if tuple(out[-size:]) in latin:
                forms[:0] = out[-size:]
                out = out[:-size]
                changed = True
                break
    if not any(w in form_words for w in out[1:]):
        return out, forms
    kept: list[str] = []
    i = 0
    while i < len(out):
        for size in (3, 2, 1):
            form = tuple(out[i : i + size])
            if len(form) == size and i > 0 and form in latin and len("".join(form)) >= 3 and len(out) > size:
                forms.extend(form)
                i += size
                break
        else:
            kept.append(out[i])
            i += 1
    return kept or out, forms


def _transliterate(word: str, english: bool) -> tuple[list[str], bool]:
    """Latin tokens for one word; CJK and Hangul become one token per syllable."""
    if word.isascii():  # already folded and split into letters and digits
        return [word], False
    if english and _CYRILLIC.search(word):
        for pattern, replacement in _CYRILLIC_ENGLISH:
            word = pattern.sub(replacement, word)
    if _CJK.search(word):
        latin = anyascii(word)
        return [s.lower() for s in _SYLLABLE.findall(latin)], True
    return _LATIN_TOKEN.findall(_APOSTROPHES.sub("", anyascii(word)).lower()), False


def _analyze(text: str, english: bool) -> AnalyzedName:
    forms_native: list[str] = []
    weak_tail: list[str] = []
    _, cjk_forms = _legal_forms()
    words: list[str] = []
    for w in _words(text):
        if w in cjk_forms:
            forms_native.append(w)
        else:
            words.append(_strip_cjk(w, forms_native, weak_tail) if _CJK.search(w) else w)
    kept, forms = _split_legal_forms(words)
    tokens: list[str] = []
    syllabic = False
    for w in kept:
        part, syl = _transliterate(w, english)
        tokens.extend(part)
        syllabic = syllabic or syl
    tokens = [_PINYIN_WEAK.get(t, t) if i else t for i, t in enumerate(tokens)]
    tokens.extend(weak_tail)
    form_tokens: list[str] = []
    for f in forms_native + forms:
        form_tokens.extend(_transliterate(f, False)[0])
    if not tokens:  # a name made only of legal forms keeps them
        tokens, form_tokens = form_tokens, []
    return AnalyzedName(tuple(tokens), tuple(form_tokens), syllabic)


def analyze(text: str) -> AnalyzedName:
    """The comparable form of a name: 'TikTok Pte. Ltd.' → tokens ('tiktok',), legal forms ('pte', 'ltd')."""
    return _analyze(text, english=False)


def name_variants(text: str) -> list[AnalyzedName]:
    """The name's comparable forms: anyascii's, then a common English spelling where it differs."""
    first = _analyze(text, english=False)
    if not _CYRILLIC.search(text):
        return [first]
    second = _analyze(text, english=True)
    return [first] if second.tokens == first.tokens else [first, second]


_LONG_WEAK = tuple(sorted(w for w in WEAK_WORDS if len(w) >= 7))


def weak_typo_candidates(name: AnalyzedName) -> set[str]:
    """Words of a name long enough to be a misspelt weak word."""
    return {t for t in name.tokens if len(t) >= 6 and t not in WEAK_WORDS}


def correct_weak_typos(name: AnalyzedName, unknown: set[str]) -> AnalyzedName:
    """A word that no name holds and that is one edit from a weak word is read as that word
    ("holdngs" → "holdings"), so that a typo in a weak word does not pass for a distinctive one.
    Words that names do hold ("Capitol") are left alone: pass only the unknown ones."""
    tokens = list(name.tokens)
    changed = False
    for i, t in enumerate(tokens):
        if t in unknown and len(t) >= 6 and t not in WEAK_WORDS:
            hit = process.extractOne(t, _LONG_WEAK, scorer=DamerauLevenshtein.distance, score_cutoff=1)
            if hit is not None:
                tokens[i], changed = hit[0], True
    return AnalyzedName(tuple(tokens), name.legal_forms, name.syllabic) if changed else name


def only_legal_forms(name: AnalyzedName) -> bool:
    """Whether a name is made of legal-form words alone ("PJSC", "Co., Ltd.")."""
    return not name.tokens or all(t in _form_words() for t in name.tokens)


def normalize_name(text: str) -> str:
    """'TikTok Pte. Ltd.' → 'tiktok'."""
    return analyze(text).norm


def name_tokens(text: str) -> list[str]:
    return list(analyze(text).tokens)


def legal_form_tokens(text: str) -> list[str]:
    """The legal-form words of a name ('TikTok Pte. Ltd.' → ['pte', 'ltd']), transliterated."""
    return list(analyze(text).legal_forms)


def distinctive_tokens(tokens: list[str]) -> list[str]:
    """Tokens that can make a match on their own (not weak words)."""
    return [t for t in tokens if t not in WEAK_WORDS]
