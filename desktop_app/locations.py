"""Where things live: embedded data and resources (source tree, wheel or frozen bundle) and user files."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Clearance"


@cache
def _bundled(name: str) -> Path:
    """`data` or `resources`: inside the package when installed or frozen, else beside it in the source tree."""
    packaged = Path(str(files("desktop_app").joinpath(f"_{name}")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def data_dir() -> Path:
    return _bundled("data")


def resources_dir() -> Path:
    return _bundled("resources")


def default_policy_path() -> Path:
    return data_dir() / "policies" / "default.toml"


def reference_dataset_path() -> Path:
    return data_dir() / "reference"


def user_db_path() -> Path:
    """The user's database: CLEARANCE_DB if set, else in the platform's user data folder."""
    configured = os.environ.get("CLEARANCE_DB")
    if configured:
        return Path(configured)
    return user_data_path(APP_NAME, appauthor=False) / "clearance.db"
