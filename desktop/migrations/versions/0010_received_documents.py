"""Documents received from other parties, kept with a case by hash; a received transfer's receipt.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["escalation_case.id"],
            name=op.f("fk_received_document_case_id_escalation_case"),
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfer.id"], name=op.f("fk_received_document_transfer_id_transfer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_document")),
    )
    op.create_index(
        op.f("ix_received_document_case_id"), "received_document", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_received_document_transfer_id"),
        "received_document",
        ["transfer_id"],
        unique=False,
    )
    with op.batch_alter_table("transfer") as batch:
        batch.add_column(sa.Column("receipt_pdf", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transfer") as batch:
        batch.drop_column("receipt_pdf")
    op.drop_index(op.f("ix_received_document_transfer_id"), table_name="received_document")
    op.drop_index(op.f("ix_received_document_case_id"), table_name="received_document")
    op.drop_table("received_document")
