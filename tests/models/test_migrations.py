"""The Alembic migrations go up and down cleanly on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from spreiding.models.db import current_revision, downgrade, migrate


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
