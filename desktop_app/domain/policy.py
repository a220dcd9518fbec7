"""The sales-restriction policy: a TOML file, validated strictly, identified by its SHA-256."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

Indirect = Literal["cascade-lookthrough", "cascade"]
PersonsRule = Literal["ignore", "review", "restrict"]

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_KNOWN_KEYS = {
    "id",
    "version",
    "title",
    "restricted_jurisdictions",
    "threshold",
    "threshold_inclusive",
    "indirect",
    "review_band_floor",
    "persons",
    "uncertain_jurisdictions",
    "stale_after_days",
    "clauses",
    "extensions",
}


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Policy:
    id: str
    version: str
    restricted_jurisdictions: frozenset[str]
    threshold: float
    title: str = ""
    threshold_inclusive: bool = False
    indirect: Indirect = "cascade-lookthrough"
    review_band_floor: float = 25.0
    persons: PersonsRule = "review"
    uncertain_jurisdictions: frozenset[str] = frozenset()
    stale_after_days: int | None = None
    clauses: Mapping[str, str] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""

    def exceeds(self, percent: float) -> bool:
        """True when `percent` passes the threshold (strictly, unless the policy is inclusive)."""
        return percent >= self.threshold if self.threshold_inclusive else percent > self.threshold

    @property
    def threshold_words(self) -> str:
        t = format_percent(self.threshold)
        return f"{t} or more" if self.threshold_inclusive else f"more than {t}"


def format_percent(value: float) -> str:
    """50.0 → '50%', 18.7 → '18.7%', 33.333333 → '33.33%'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; raise PolicyError naming the file and the offending key."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file: {exc.strerror or exc}") from exc
    return parse_policy(raw, str(path))


def parse_policy(raw: bytes, origin: str = "<policy>") -> Policy:
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{origin}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{origin}: not valid TOML: {exc}") from exc
    return _build(doc, origin, hashlib.sha256(raw).hexdigest())


def _build(doc: dict[str, Any], origin: str, sha: str) -> Policy:
    def fail(key: str, message: str) -> PolicyError:
        return PolicyError(f"{origin}: key '{key}': {message}")

    unknown = sorted(set(doc) - _KNOWN_KEYS)
    if unknown:
        raise fail(unknown[0], "unknown key (extensions belong in the [extensions] table)")
    for key in ("id", "version", "restricted_jurisdictions", "threshold"):
        if key not in doc:
            raise fail(key, "required key is missing")

    def text(key: str, default: str | None = None) -> str:
        value = doc.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def number(key: str, default: float | None = None) -> float:
        value = doc.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(key, f"must be a number, got {value!r}")
        if not 0.0 <= float(value) <= 100.0:
            raise fail(key, f"must be a percentage between 0 and 100, got {value!r}")
        return float(value)

    def countries(key: str) -> frozenset[str]:
        value = doc.get(key, [])
        if not isinstance(value, list):
            raise fail(key, f"must be a list of ISO 3166-1 alpha-2 codes, got {value!r}")
        for code in value:
            if not isinstance(code, str) or not _COUNTRY.match(code):
                raise fail(key, f"{code!r} is not an ISO 3166-1 alpha-2 code (two capital letters)")
        return frozenset(value)

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = doc.get(key, default)
        if value not in allowed:
            raise fail(key, f"must be one of {', '.join(allowed)}; got {value!r}")
        return str(value)

    policy_id = text("id")
    version = doc.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if isinstance(version, date):
        version = version.isoformat()
    if not isinstance(version, str) or not version.strip():
        raise fail("version", f"must be a non-empty string, got {version!r}")
    restricted = countries("restricted_jurisdictions")
    if not restricted:
        raise fail("restricted_jurisdictions", "must name at least one jurisdiction")
    threshold = number("threshold")
    inclusive = doc.get("threshold_inclusive", False)
    if not isinstance(inclusive, bool):
        raise fail("threshold_inclusive", f"must be true or false, got {inclusive!r}")
    floor = number("review_band_floor", 25.0)
    if floor > threshold:
        raise fail("review_band_floor", f"{floor} is above the threshold {threshold}")
    uncertain = countries("uncertain_jurisdictions")
    overlap = sorted(uncertain & restricted)
    if overlap:
        raise fail("uncertain_jurisdictions", f"{overlap[0]} is also a restricted jurisdiction")
    stale = doc.get("stale_after_days")
    if stale is not None and (isinstance(stale, bool) or not isinstance(stale, int) or stale <= 0):
        raise fail("stale_after_days", f"must be a positive whole number of days, got {stale!r}")
    clauses = doc.get("clauses", {})
    if not isinstance(clauses, dict) or not all(isinstance(v, str) for v in clauses.values()):
        raise fail("clauses", "must be a table of rule id = clause text")
    extensions = doc.get("extensions", {})
    if not isinstance(extensions, dict):
        raise fail("extensions", "must be a table")
    return Policy(
        id=policy_id,
        version=version.strip(),
        title=text("title", policy_id),
        restricted_jurisdictions=restricted,
        threshold=threshold,
        threshold_inclusive=inclusive,
        indirect=choice("indirect", ("cascade-lookthrough", "cascade"), "cascade-lookthrough"),  # type: ignore[arg-type]
        review_band_floor=floor,
        persons=choice("persons", ("ignore", "review", "restrict"), "review"),  # type: ignore[arg-type]
        uncertain_jurisdictions=uncertain,
        stale_after_days=stale,
        clauses=dict(clauses),
        extensions=dict(extensions),
        sha256=sha,
    )
