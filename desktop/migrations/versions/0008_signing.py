"""Keep the local signing root's key; remember whom a sent transfer's receipt must come from.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signing_identity") as batch:
        batch.add_column(sa.Column("root_key_pem", sa.Text(), nullable=True))
    with op.batch_alter_table("transfer") as batch:
        batch.add_column(sa.Column("recipient_certificate", sa.Text(), nullable=True))
        batch.add_column(sa.Column("recipient_root", sa.String(length=95), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transfer") as batch:
        batch.drop_column("recipient_root")
        batch.drop_column("recipient_certificate")
    with op.batch_alter_table("signing_identity") as batch:
        batch.drop_column("root_key_pem")
