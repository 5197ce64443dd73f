"""Store whether a stage's due time is outside working time; index stage corrections.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage_record") as batch:
        batch.add_column(
            sa.Column("due_outside_working_time", sa.Boolean(), nullable=False, server_default="0")
        )
        batch.create_index("ix_stage_record_corrects_id", ["corrects_id"])


def downgrade() -> None:
    with op.batch_alter_table("stage_record") as batch:
        batch.drop_index("ix_stage_record_corrects_id")
        batch.drop_column("due_outside_working_time")
