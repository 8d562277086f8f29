"""prognosis: the ministries' prognoses of fte per organisation, kept with their delivery

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('prognosis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('peildatum', sa.Date(), nullable=False),
    sa.Column('fte', sa.Float(), nullable=False),
    sa.CheckConstraint('fte >= 0', name='ck_prognosis_fte'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id', 'organisation_id', 'peildatum')
    )
    with op.batch_alter_table('prognosis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prognosis_submission_id'), ['submission_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('prognosis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prognosis_submission_id'))
    op.drop_table('prognosis')
