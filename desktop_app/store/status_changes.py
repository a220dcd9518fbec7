"""How many entities an import changed the status of: statuses remembered before it, compared after.

Compared per member record (an entity of one dataset), so that an entity merging into another
cluster, or a cluster renamed, still counts once when its status changed and not at all otherwise.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from desktop_app.domain.determination import default_determination
from desktop_app.domain.policy import Policy

_TABLE = "prior_status"


def remember(conn: Connection, policy: Policy) -> None:
    """Keep every member entity's current status in a temporary table (inside the caller's transaction)."""
    conn.execute(text(f"DROP TABLE IF EXISTS {_TABLE}"))
    conn.execute(text(f"CREATE TEMPORARY TABLE {_TABLE} (entity_id VARCHAR(300) PRIMARY KEY, status VARCHAR(10))"))
    conn.execute(
        text(
            f"INSERT INTO {_TABLE} (entity_id, status) SELECT e.id, COALESCE(d.status, :default) FROM entities e "
            "LEFT JOIN determinations d ON d.entity_id = e.cluster_id AND d.policy_sha256 = :sha"
        ),
        {"sha": policy.sha256, "default": default_determination(policy)[0]},
    )


def count(conn: Connection, policy: Policy) -> int:
    """Merged entities, on file before and after, whose status differs from what `remember` kept."""
    changed = conn.execute(
        text(
            f"SELECT COUNT(DISTINCT e.cluster_id) FROM entities e JOIN {_TABLE} p ON p.entity_id = e.id "
            "LEFT JOIN determinations d ON d.entity_id = e.cluster_id AND d.policy_sha256 = :sha "
            "WHERE COALESCE(d.status, :default) <> p.status"
        ),
        {"sha": policy.sha256, "default": default_determination(policy)[0]},
    ).scalar_one()
    conn.execute(text(f"DROP TABLE IF EXISTS {_TABLE}"))
    return int(changed)
