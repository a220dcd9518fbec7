"""Name normalization for matching: NFKC, case folding, punctuation, transliteration, legal forms."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

from anyascii import anyascii

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SPLIT_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@cache
def _legal_forms() -> tuple[frozenset[tuple[str, ...]], tuple[str, ...]]:
    """Latin legal forms as token tuples, and native-script suffixes (longest first)."""
    text = files("desktop_app.domain").joinpath("legal_forms.txt").read_text(encoding="utf-8")
    latin: set[tuple[str, ...]] = set()
    native: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        folded = unicodedata.normalize("NFKC", line).casefold()
        if _CJK.search(folded) or any(ord(c) > 0x24F for c in folded if c.isalpha()):
            native.add(folded.replace(" ", ""))
            translit = _ascii_tokens(folded)
            if translit:
                latin.add(tuple(translit))
        else:
            tokens = tuple(t for t in _NON_WORD.split(anyascii(folded).lower()) if t)
            if tokens:
                latin.add(tokens)
    return frozenset(latin), tuple(sorted(native, key=len, reverse=True))


# Words that say little on their own: they never make a match by themselves.
WEAK_WORDS: frozenset[str] = frozenset(
    """group groups holding holdings international intl company companies trading technology technologies tech
    the and of de la le des du et und for co corp corporation limited ltd inc incorporated llc plc sa ag gmbh bv nv
    global industries industry enterprise enterprises services service systems solutions partners ventures
    investment investments capital management development""".split()
)


# Forms that also stand before the name ("PJSC Gazprom", "PT Astra").
_PREFIX_FORMS: frozenset[tuple[str, ...]] = frozenset(
    (f,) for f in "ooo oao zao pao ao nao mkpao pjsc ojsc cjsc jsc pt cv".split()
)


def _ascii_tokens(text: str) -> list[str]:
    """Transliterate to Latin and split; CJK syllables become separate tokens."""
    out: list[str] = []
    for chunk in re.split(r"(\s+)", text):
        if not chunk.strip():
            continue
        latin = anyascii(chunk)
        if _CJK.search(chunk):
            latin = _SPLIT_CAMEL.sub(" ", latin)
        out.extend(t for t in _NON_WORD.split(latin.lower()) if t)
    return out


def clean(text: str) -> str:
    """NFKC, case folding, control characters removed, spacing collapsed; length bounded."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text[:1000])).casefold()
    return " ".join(text.split())


def strip_native_legal_forms(text: str) -> str:
    """Remove native-script legal forms such as 有限公司 or ООО wherever they stand as words or suffixes."""
    _, native = _legal_forms()
    for form in native:
        if _CJK.search(form):
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
        else:
            text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", " ", text)
    return " ".join(text.split())


def name_tokens(text: str) -> list[str]:
    """Normalized Latin tokens with legal forms set aside (kept if nothing else remains)."""
    cleaned = clean(text)
    tokens = _ascii_tokens(strip_native_legal_forms(cleaned))
    stripped = remove_legal_forms(tokens)
    return stripped or tokens


def remove_legal_forms(tokens: list[str]) -> list[str]:
    return split_legal_forms(tokens)[0]


def legal_form_tokens(text: str) -> list[str]:
    """The legal-form words of a name ('TikTok Pte. Ltd.' → ['pte', 'ltd']), transliterated."""
    cleaned = clean(text)
    _, native = _legal_forms()
    forms: list[str] = []
    for form in native:
        if form in cleaned.replace(" ", ""):
            forms.extend(_ascii_tokens(form))
            cleaned = cleaned.replace(form, " ")
    return forms + split_legal_forms(_ascii_tokens(cleaned))[1]


def split_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(name tokens, legal-form tokens)."""
    latin, _ = _legal_forms()
    if not tokens:
        return tokens, []
    forms: list[str] = []
    out: list[str] = []
    i = 0
    longest = 4
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            form = tuple(tokens[i : i + size])
            if form in latin and (i > 0 or (form in _PREFIX_FORMS and len(tokens) > size)):
                forms.extend(form)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out, forms


def normalize_name(text: str) -> str:
    """The comparable form of a company name: 'TikTok Pte. Ltd.' → 'tiktok'."""
    return " ".join(name_tokens(text))


def distinctive_tokens(tokens: list[str]) -> list[str]:
    """Tokens that can make a match on their own (not weak words)."""
    return [t for t in tokens if t not in WEAK_WORDS]
