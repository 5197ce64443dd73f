"""Transfers of a child's records between vaults, and their receipts.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("counterpart", sa.String(length=200), nullable=False),
        sa.Column("receipt_at", sa.DateTime(), nullable=True),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_transfer_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_transfer_transfer_id")),
    )
    op.create_index(op.f("ix_transfer_child_id"), "transfer", ["child_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_child_id"), table_name="transfer")
    op.drop_table("transfer")
