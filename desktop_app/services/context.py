"""The application context: one database and one policy, opened the same way by the CLI and the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app import locations
from desktop_app.domain.policy import Policy, load_policy
from desktop_app.store.database import Store, database_url, open_store

Progress = Callable[[str, int, int], None]  # (what, done, total); total 0 when unknown


@dataclass
class AppContext:
    store: Store
    policy: Policy
    policy_path: Path
    location: str

    def close(self) -> None:
        self.store.dispose()


def open_context(
    db: str | Path | None = None,
    policy_path: str | Path | None = None,
    progress: Progress | None = None,
    seed_reference: bool | None = None,
) -> AppContext:
    """Open (and migrate) the database and load the policy.

    Without an explicit database the user's own database is used, and on first use it is created
    from the embedded reference data.
    """
    policy_file = Path(policy_path) if policy_path else locations.default_policy_path()
    policy = load_policy(policy_file)
    explicit = db is not None
    location = str(db) if explicit else str(locations.user_db_path())
    if "://" in location:
        from desktop_app.services.server import connection_location, without_password

        # a password in the URL is used, never kept or shown; one kept in the credential store is added
        store = open_store(connection_location(location))
        location = without_password(location)
    else:
        store = open_store(location)
    ctx = AppContext(store=store, policy=policy, policy_path=policy_file, location=location)
    if seed_reference is None:
        seed_reference = not explicit
    if seed_reference:
        from desktop_app.services.importing import seed_reference_data

        seed_reference_data(ctx, progress)
    return ctx


def describe_location(location: str) -> str:
    if "://" in location:
        from desktop_app.services.server import without_password

        return without_password(database_url(location))
    return str(Path(location).expanduser())
