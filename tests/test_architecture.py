"""The core runs without Qt: domain, store, importers and services import with PySide6 unavailable."""

from __future__ import annotations

import subprocess
import sys

BLOCK_QT = """
import sys
class _NoQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is not installed here")
        return None
sys.meta_path.insert(0, _NoQt())
import desktop_app.domain.determination, desktop_app.domain.explanation, desktop_app.domain.names
import desktop_app.store.database, desktop_app.store.queries, desktop_app.importers.canonical
import desktop_app.services.lookup, desktop_app.services.reporting, desktop_app.services.importing
import desktop_app.cli
assert not any(m == "PySide6" or m.startswith("PySide6.") for m in sys.modules), "Qt was imported"
print("ok")
"""


def test_core_layers_import_and_run_without_qt() -> None:
    p = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


def test_domain_imports_neither_qt_nor_sqlalchemy() -> None:
    code = (
        "import sys, desktop_app.domain.explanation, desktop_app.domain.names, desktop_app.domain.query;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('PySide6','sqlalchemy')]; print(bad)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "[]", p.stdout + p.stderr
