"""lifecycle version on every case; location optional; an intention's period

Every case stored before this revision was started on lifecycle version 1 (the chart with
the one-sided ``agree``) and keeps it, so its trail still replays; new cases start on
version 2. A new unit, masterplan or VtW may be registered without a location (BZK's advice
proposes it), and an intention may name its time frame.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _defer_foreign_keys() -> None:
    # SQLite's batch mode copies location_case into a new table and drops the old one; the
    # events and anchors that refer to it are checked at commit, when the copy is in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")


def upgrade() -> None:
    _defer_foreign_keys()
    with op.batch_alter_table('location_case', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lifecycle_version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.alter_column(
            'location_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=True
        )


def downgrade() -> None:
    _defer_foreign_keys()
    with op.batch_alter_table('location_case', schema=None) as batch_op:
        batch_op.alter_column(
            'location_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.drop_column('period')
        batch_op.drop_column('lifecycle_version')
