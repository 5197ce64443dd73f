"""Audit keys retired by a passphrase change, each sealed by the key that replaced it.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_epoch",
        sa.Column("last_event", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("last_event", name=op.f("pk_audit_epoch")),
    )


def downgrade() -> None:
    op.drop_table("audit_epoch")
