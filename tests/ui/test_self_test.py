"""`clearance gui --self-test` starts offscreen, searches, opens a result and exits 0; 1 on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import locations
from desktop_app.services.context import open_context

pytestmark = pytest.mark.slow


def run_self_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the self-test sets it itself
    return subprocess.run([sys.executable, "-m", "desktop_app", *args, "gui", "--self-test"],
                          capture_output=True, text=True, timeout=60, env=env)


def test_self_test_passes_on_a_database_with_data(sample_db: Path) -> None:
    done = run_self_test("--db", str(sample_db))
    assert done.returncode == 0, done.stderr
    assert "banner shows RESTRICTED" in done.stdout
    assert "self-test: ok" in done.stdout


def test_self_test_fails_with_a_message_on_an_empty_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    open_context(db=empty, seed_reference=False).close()
    done = run_self_test("--db", str(empty))
    assert done.returncode == 1
    assert "self-test FAILED" in done.stderr and "no entities" in done.stderr


@pytest.mark.skipif(not (locations.reference_dataset_path() / "dataset.toml").is_file(),
                    reason="no embedded reference data")
def test_self_test_without_a_database_seeds_one_from_the_reference_data() -> None:
    done = run_self_test()
    assert done.returncode == 0, done.stderr
    assert "entities (reference" in done.stdout
    assert "self-test: ok" in done.stdout
