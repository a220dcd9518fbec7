"""Short texts the window shows: shares, countries, what matched, ownership edges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.domain.countries import country_name

if TYPE_CHECKING:
    from desktop_app.domain.explanation import ChainOwner
    from desktop_app.services.lookup import SearchHit


def percent(value: float) -> str:
    """50.0 → '50', 18.7 → '18.7', 33.333 → '33.33' (no percent sign)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def share_range(low: float, high: float) -> str:
    """'100%' when the data decides, '0–60%' when it can only bound the share."""
    if abs(high - low) < 1e-9:
        return f"{percent(low)}%"
    return f"{percent(low)}–{percent(high)}%"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """1 → '1 entity', 2 → '2 entities', 1200 → '1,200 entities'."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


REFERENCE_DATASET = "reference"
REFERENCE_CAVEAT = ("The embedded reference data is compiled from public reporting and is not authoritative: "
                    "check it before relying on it for a decision.")


def share_phrase(status: str, low: float, high: float) -> str:
    """What a result row says beside its chip: an eligible row must not read as 'restricted'.

    eligible [0, 0] → 'no restricted owner on file'; eligible [18.7, 18.7] → 'no restricted owner above 18.7%';
    review or restricted → 'restricted 0–60%'.
    """
    if status == "eligible":
        if high < 1e-9:
            return "no restricted owner on file"
        return f"no restricted owner above {percent(high)}%"
    return f"restricted {share_range(low, high)}"


def country(code: str | None) -> str:
    """'CN' → 'China (CN)'; a missing code says so."""
    if not code:
        return "country not on file"
    name = country_name(code)
    return code if name == code else f"{name} ({code})"


def place(kind: str, code: str | None) -> str:
    """Where an entity is from, or what it is when no country is given ('fund, country not on file').

    A person's residence is not part of the ownership chain, so a person reads just 'person'.
    """
    if code:
        return country(code)
    if kind == "person":
        return "person"
    return f"{kind.replace('_', ' ')}, country not on file"


def matched(hit: SearchHit) -> str:
    """What made the hit match: 'alias: 字节跳动', 'domain: tiktok.com', or 'matched on its name'."""
    on = hit.matched_on.replace("_", " ")
    if on == "name" and hit.matched_text == hit.name:
        return "matched on its name"
    return f"{on}: {hit.matched_text}"


def edge(owner: ChainOwner) -> str:
    """The share an owner holds, as the ownership tree and graph label it."""
    if owner.kind == "control":
        return "controls"
    if owner.share_min is None and owner.share_max is None:
        text = "share unknown"
    else:
        low = owner.share_min or 0.0
        high = owner.share_max if owner.share_max is not None else 100.0
        text = share_range(low, high)
    return f"{text} voting" if owner.kind == "voting" else text
