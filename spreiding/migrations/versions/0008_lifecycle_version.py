"""lifecycle version on every case; location optional; intention period; masterplan parts

Every case stored before this revision was started on lifecycle version 1 (the chart with
the one-sided ``agree``) and keeps it, so its trail still replays; new cases start on
version 2. A new unit, masterplan or VtW may be registered without a location (BZK's advice
proposes it), and an intention may name its time frame. A masterplan names its area and the
organisations it covers, a VtW its masterplan; the RVB contact is recorded as a party.

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


def _foreign_keys(on: bool) -> None:
    # SQLite's batch mode copies location_case into a new table and drops the old one, which
    # the events and anchors refer to: the check is off while the copy takes the old one's
    # place (outside a transaction, where SQLite honours the pragma), and on again after.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def upgrade() -> None:
    op.create_table(
        'leidraad_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('effective', sa.Date(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('version'),
    )
    with op.batch_alter_table('leidraad_version', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_leidraad_version_effective'), ['effective'], unique=False
        )
    _foreign_keys(False)
    with op.batch_alter_table('location_case', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lifecycle_version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('area', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('covered', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('masterplan_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('rvb_contact', sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.create_foreign_key(
            'fk_location_case_masterplan', 'location_case', ['masterplan_id'], ['id']
        )
        batch_op.alter_column(
            'location_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=True
        )
    _foreign_keys(True)
    _version_from_registrations()


def _version_from_registrations() -> None:
    """Every case is version 1 unless its registration recorded another version.

    (A store taken down to 0007 and up again keeps the version its cases were started on.)
    """
    events = sa.table(
        'case_event', sa.column('case_id', sa.Integer), sa.column('seq', sa.Integer),
        sa.column('payload', sa.JSON),
    )
    cases = sa.table('location_case', sa.column('id', sa.Integer),
                     sa.column('lifecycle_version', sa.Integer))
    bind = op.get_bind()
    rows = bind.execute(sa.select(events.c.case_id, events.c.payload).where(events.c.seq == 1))
    for case_id, payload in rows.all():
        version = (payload or {}).get('lifecycle_version')
        if isinstance(version, int) and version != 1:
            bind.execute(
                cases.update().where(cases.c.id == case_id).values(lifecycle_version=version)
            )


def downgrade() -> None:
    op.drop_table('leidraad_version')
    _foreign_keys(False)
    with op.batch_alter_table('location_case', schema=None) as batch_op:
        batch_op.alter_column(
            'location_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.drop_constraint('fk_location_case_masterplan', type_='foreignkey')
        batch_op.drop_column('rvb_contact')
        batch_op.drop_column('masterplan_id')
        batch_op.drop_column('covered')
        batch_op.drop_column('area')
        batch_op.drop_column('period')
        batch_op.drop_column('lifecycle_version')
    _foreign_keys(True)
