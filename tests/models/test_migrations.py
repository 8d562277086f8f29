"""The Alembic migrations go up and down cleanly on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from spreiding.models.db import (
    MIGRATIONS,
    current_revision,
    downgrade,
    head_revisions,
    known_revisions,
    migrate,
)


def test_migrations_up_down_and_up_again(database):
    engine = database.engine()
    migrate(engine)
    head = current_revision(engine)
    assert head is not None
    assert {"province", "municipality", "organisation", "workforce_count"} <= set(
        inspect(engine).get_table_names()
    )
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert current_revision(engine) == head


def test_the_models_match_the_migrations(database):
    """Autogenerate finds nothing to do: every table change came with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import spreiding.models  # noqa: F401

    engine = database.engine()
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_the_revisions_read_from_the_files_are_alembics_own():
    """The start-up check knows the newest schema without Alembic; Alembic must agree."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert head_revisions() == set(scripts.get_heads())
    assert known_revisions() == {s.revision: s.down_revision for s in scripts.walk_revisions()}


def test_a_database_behind_the_code_is_refused_until_init_upgrades_it(configured, cli):
    engine = configured.engine()
    (head,) = head_revisions()
    migrate(engine, known_revisions()[head])  # as an older version of spreiding left it
    result = cli("ministry", "list")
    assert result.exit_code == 2
    assert "run 'spreiding init' to upgrade it" in result.stderr
    assert cli("init").exit_code == 0
    assert current_revision(engine) == head
    assert cli("ministry", "list").exit_code == 0
