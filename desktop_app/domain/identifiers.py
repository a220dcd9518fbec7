"""Identifier shapes: LEIs (ISO 17442), web domains, e-mail addresses, URLs."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def is_valid_lei(value: str) -> bool:
    """20 characters whose ISO 7064 mod 97-10 check digits verify."""
    if not _LEI.match(value):
        return False
    return int(value.translate(_LEI_DIGITS)) % 97 == 1


# Letters read as numbers for the check (A = 10 … Z = 35), digits as themselves.
_LEI_DIGITS = str.maketrans({c: str(int(c, 36)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


@cache
def _multi_label_suffixes() -> frozenset[str]:
    text = files("desktop_app.domain").joinpath("public_suffixes.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def host_of(text: str) -> str | None:
    """The host name in an e-mail address, URL or bare domain, lowercased; None if there is none."""
    t = text.strip().lower()
    if not t or any(c.isspace() for c in t):
        return None
    if "@" in t and "://" not in t:
        t = t.rsplit("@", 1)[1]
    t = re.sub(r"^[a-z][a-z0-9+.-]*://", "", t)
    t = re.split(r"[/?#]", t, maxsplit=1)[0]
    t = t.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    try:
        t = t.encode("idna").decode("ascii") if not t.isascii() else t
    except UnicodeError:
        return None
    labels = t.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or not labels[-1].isalpha():
        return None
    return t


def registrable_domain(text: str) -> str | None:
    """'https://mail.tiktok.com/x' → 'tiktok.com'; 'shop.example.co.uk' → 'example.co.uk'."""
    host = host_of(text)
    if host is None:
        return None
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _multi_label_suffixes() and len(labels) >= 3 else 2
    return ".".join(labels[-keep:])


def parent_domains(host: str) -> list[str]:
    """'a.b.example.com' → ['a.b.example.com', 'b.example.com', 'example.com']."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
