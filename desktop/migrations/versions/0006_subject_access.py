"""Subject access bundles and the redactions applied to each.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subject_access_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_subject_access_export_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_export")),
    )
    op.create_index(
        op.f("ix_subject_access_export_child_id"), "subject_access_export", ["child_id"]
    )
    op.create_table(
        "redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("withheld", sa.Text(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["subject_access_export.id"],
            name=op.f("fk_redaction_export_id_subject_access_export"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redaction")),
    )
    op.create_index(op.f("ix_redaction_export_id"), "redaction", ["export_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_redaction_export_id"), table_name="redaction")
    op.drop_table("redaction")
    op.drop_index(op.f("ix_subject_access_export_child_id"), table_name="subject_access_export")
    op.drop_table("subject_access_export")
