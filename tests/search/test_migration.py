"""Upgrading a database made before the current search index: the index is rebuilt, search works."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from desktop_app.services import lookup
from desktop_app.services.context import open_context
from desktop_app.store.database import SCHEMA_HEAD


def _make_0001_database(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("desktop_app.store").joinpath("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO datasets VALUES ('old', 'Old', '1', '2026-01-01', '', '', '', 'x', "
                          "'2026-01-01 00:00:00', 1, 0)"))
        conn.execute(text("INSERT INTO entities (id, dataset_id, local_id, cluster_id, kind, name, hq_country, "
                          "status) VALUES ('old:sc', 'old', 'sc', 'old:sc', 'company', 'Supercell Oy', 'FI', "
                          "'active')"))
        conn.execute(text("INSERT INTO search_names (entity_id, name, matched_on, norm) "
                          "VALUES ('old:sc', 'Supercell Oy', 'name', 'supercell')"))
        conn.execute(text("INSERT INTO search_terms (term, name_id) VALUES ('supercell', 1)"))
    engine.dispose()


def test_a_0001_database_is_upgraded_and_its_index_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _make_0001_database(db)
    ctx = open_context(db=db, seed_reference=False)
    try:
        assert ctx.store.schema_version() == SCHEMA_HEAD
        hits = lookup.search(ctx, "Supercel", prefix=False).hits
        assert [h.entity_id for h in hits] == ["old:sc"]
    finally:
        ctx.close()
