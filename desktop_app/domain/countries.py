"""ISO 3166-1 alpha-2 codes and their short English names."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files


@cache
def country_names() -> dict[str, str]:
    text = files("desktop_app.domain").joinpath("countries.csv").read_text(encoding="utf-8")
    return {row["alpha_2"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def is_country(code: str) -> bool:
    return code in country_names()


def country_name(code: str | None) -> str:
    """'CN' → 'China'; unknown or missing codes are shown as they are."""
    if not code:
        return "an unknown country"
    return country_names().get(code, code)
