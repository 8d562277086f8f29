"""Alembic environment: runs migrations on the engine that spreiding hands over.

``spreiding.models.db.migrate`` passes its engine in ``config.attributes['engine']``; the
developer command ``alembic`` (with the repository's alembic.ini) falls back to the
configured ``SPREIDING_DATABASE_URL``. SQLite gets batch mode so that ALTERs work there.
"""

from alembic import context
from sqlmodel import SQLModel

import spreiding.models  # noqa: F401  (registers every table on SQLModel.metadata)
from spreiding.models.db import get_engine

config = context.config
engine = config.attributes.get("engine") or get_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
