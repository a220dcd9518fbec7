"""Classifying what was typed: an e-mail address, a URL or domain, an LEI, another identifier, or a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from desktop_app.domain.identifiers import host_of, is_valid_lei, parent_domains

QueryKind = Literal["email", "domain", "lei", "identifier", "name", "empty"]
_LEI_SHAPE = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_ID_SHAPE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9\-./: ]{4,40}$")
_DOMAIN_SHAPE = re.compile(r"^[^\s@]+\.[a-z]{2,}(/.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ClassifiedQuery:
    kind: QueryKind
    text: str  # the query as typed, trimmed and bounded
    hosts: tuple[str, ...] = ()  # domain lookups, most specific first
    identifier: str | None = None


def classify(raw: str) -> ClassifiedQuery:
    text = " ".join(raw.replace("\x00", " ").split())[:500]
    if not text:
        return ClassifiedQuery("empty", text)
    upper = text.upper().replace(" ", "")
    if _LEI_SHAPE.match(upper) and is_valid_lei(upper):
        return ClassifiedQuery("lei", text, identifier=upper)
    if "@" in text and " " not in text:
        host = host_of(text)
        if host:
            return ClassifiedQuery("email", text, hosts=tuple(parent_domains(host)))
    if " " not in text and ("://" in text or _DOMAIN_SHAPE.match(text)):
        host = host_of(text)
        if host and not host.replace(".", "").isdigit():
            return ClassifiedQuery("domain", text, hosts=tuple(parent_domains(host)))
    if _ID_SHAPE.match(text.upper()) and sum(c.isdigit() for c in text) >= 4:
        return ClassifiedQuery("identifier", text, identifier=re.sub(r"[\s\-./]", "", text.upper()))
    return ClassifiedQuery("name", text)
