"""form_token: the page forms already sent, per account, so a double submit registers once

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('form_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'token')
    )
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_token_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_token_created_at'))
    op.drop_table('form_token')
