"""A dataset's counts and content hash, set once its records are written.

Some importers know them only at the end (the GLEIF Level 1 file is read once, while it is written).
"""

from __future__ import annotations

from sqlalchemy import Connection, update

from desktop_app.store.schema import Dataset


def record_totals(conn: Connection, dataset_id: str, entities: int, relationships: int, content_sha256: str) -> None:
    conn.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id)
        .values(entity_count=entities, relationship_count=relationships, content_sha256=content_sha256)
    )
