"""Signing identity and known signers, both inside the encrypted vault.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_pem", sa.Text(), nullable=False),
        sa.Column("cert_pem", sa.Text(), nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_identity")),
    )
    op.create_table(
        "known_signer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_signer")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_known_signer_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("known_signer")
    op.drop_table("signing_identity")
