"""audit anchors and ledger: the trail's heads sealed under a key kept outside the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 08:40:00.000000

Trails that exist already are not rewritten: ``spreiding init`` anchors their current heads
under the audit key (see spreiding.statemachine.service.anchor_existing_trails).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_anchor',
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('plain_upto', sa.Integer(), nullable=False),
    sa.Column('plain_head', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('head', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_table('audit_ledger',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('audit_ledger')
    op.drop_table('audit_anchor')
