"""Roles on a real PostgreSQL server: `clearance db init-roles`, and what a lookup user may not do."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop_app import locations
from desktop_app.cli import EXIT_OK, EXIT_USAGE, main
from desktop_app.store.database import IMPORTER_ROLE, LOOKUP_ROLE
from tests.conftest import make_dataset
from tests.pg import login_user, needs_pg, reset_database

pytestmark = needs_pg

ENTITIES = [
    {"id": "p", "name": "Red Dragon Holdings", "hq_country": "CN"},
    {"id": "s", "name": "Harbour Subsidiary Pte. Ltd.", "hq_country": "SG"},
    {"id": "m", "name": "Minority Partner GmbH", "hq_country": "DE", "ownership": "complete"},
]
RELATIONSHIPS = [{"owner_id": "p", "owned_id": "s", "share": 100}, {"owner_id": "p", "owned_id": "m", "share": 20}]


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def count(url: str, sql: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        n = int(conn.execute(text(sql)).scalar_one())
    engine.dispose()
    return n


@pytest.fixture
def server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    owner = reset_database()
    ds = make_dataset(tmp_path / "ds", ENTITIES, RELATIONSHIPS, dataset_id="cases")
    assert cli(capsys, "--db", owner, "import", ds)[0] == EXIT_OK
    code, out, _ = cli(capsys, "--db", owner, "db", "init-roles")
    assert code == EXIT_OK, out
    return {"owner": owner, "lookup": login_user("clearance_t_lookup", LOOKUP_ROLE),
            "importer": login_user("clearance_t_importer", IMPORTER_ROLE)}


def other_policy(tmp_path: Path) -> Path:
    text_ = locations.default_policy_path().read_text(encoding="utf-8")
    path = tmp_path / "strict.toml"
    path.write_text(text_.replace("threshold = 50.0", "threshold = 15.0").replace(
        "review_band_floor = 25.0", "review_band_floor = 10.0").replace(
        'id = "unsupported-regions"', 'id = "strict-regions"'), encoding="utf-8")
    return path


def test_init_roles_says_what_it_did_and_can_be_repeated(server: dict[str, str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--db", server["owner"], "db", "init-roles")
    assert code == EXIT_OK
    assert f"role {LOOKUP_ROLE} exists" in out and f"role {IMPORTER_ROLE} exists" in out
    assert "GRANT SELECT ON ALL TABLES IN SCHEMA public TO clearance_lookup" in out
    assert "GRANT INSERT ON audit TO clearance_lookup" in out
    assert "GRANT INSERT ON decision_records TO clearance_lookup" in out


def test_init_roles_on_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--db", tmp_path / "x.db", "db", "init-roles")
    assert code == EXIT_USAGE and "PostgreSQL" in err


def test_lookup_user_searches_checks_and_records_decisions(server: dict[str, str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = count(server["owner"], "SELECT count(*) FROM audit")
    code, out, err = cli(capsys, "--db", server["lookup"], "check", "Harbour Subsidiary")
    assert code == EXIT_OK, err
    assert "RESTRICTED" in out.upper()
    assert cli(capsys, "--db", server["lookup"], "search", "minority partner")[0] == EXIT_OK
    assert cli(capsys, "--db", server["lookup"], "db", "info")[0] == EXIT_OK
    assert count(server["owner"], "SELECT count(*) FROM audit") == before + 1  # the decision is on record
    code, out, err = cli(capsys, "--db", server["lookup"], "check", "Harbour Subsidiary", "--record")
    assert code == EXIT_OK, err
    assert count(server["owner"], "SELECT count(*) FROM decision_records") == 1
    code, out, err = cli(capsys, "--db", server["lookup"], "audit", "verify")
    assert code == EXIT_OK, err


def test_lookup_user_may_not_import_remove_or_change_the_policy(
        server: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    owner, lookup = server["owner"], server["lookup"]
    entities_before = count(owner, "SELECT count(*) FROM entities")
    statuses_before = count(owner, "SELECT count(*) FROM determination_runs")
    newer = make_dataset(tmp_path / "newer", [*ENTITIES, {"id": "x", "name": "Extra Co", "hq_country": "FR"}],
                         RELATIONSHIPS, dataset_id="cases", version="2")

    code, _, err = cli(capsys, "--db", lookup, "import", newer)
    assert code == EXIT_USAGE
    assert "may not import a dataset" in err and IMPORTER_ROLE in err and "clearance_t_lookup" in err

    code, _, err = cli(capsys, "--db", lookup, "db", "remove", "cases")
    assert code == EXIT_USAGE
    assert "may not remove a dataset" in err and IMPORTER_ROLE in err

    strict = other_policy(tmp_path)
    code, _, err = cli(capsys, "--db", lookup, "--policy", strict, "check", "Minority Partner")
    assert code == EXIT_USAGE
    assert "strict-regions" in err and IMPORTER_ROLE in err and "db recompute" in err
    code, _, err = cli(capsys, "--db", lookup, "--policy", strict, "db", "recompute")
    assert code == EXIT_USAGE and IMPORTER_ROLE in err

    assert count(owner, "SELECT count(*) FROM entities") == entities_before
    assert count(owner, "SELECT count(*) FROM determination_runs") == statuses_before
    assert count(owner, "SELECT count(*) FROM datasets WHERE version = '1'") == 1


def test_importer_imports_removes_and_recomputes_then_lookup_users_use_the_new_policy(
        server: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    importer, lookup = server["importer"], server["lookup"]
    newer = make_dataset(tmp_path / "newer", [*ENTITIES, {"id": "x", "name": "Extra Co", "hq_country": "FR"}],
                         RELATIONSHIPS, dataset_id="cases", version="2")
    other = make_dataset(tmp_path / "other", [{"id": "o", "name": "Other Data Ltd", "hq_country": "GB"}],
                         dataset_id="other")
    assert cli(capsys, "--db", importer, "import", newer)[0] == EXIT_OK
    assert cli(capsys, "--db", importer, "import", other)[0] == EXIT_OK
    assert cli(capsys, "--db", importer, "db", "remove", "other")[0] == EXIT_OK
    strict = other_policy(tmp_path)
    assert cli(capsys, "--db", importer, "--policy", strict, "db", "recompute")[0] == EXIT_OK
    # 20% from a restricted owner is above the strict policy's 15%: restricted
    code, out, err = cli(capsys, "--db", lookup, "--policy", strict, "check", "Minority Partner")
    assert code == EXIT_OK, err
    assert "RESTRICTED" in out.upper()
