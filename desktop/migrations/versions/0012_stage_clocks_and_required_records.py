"""Keep what the procedures' clocks and required records need on a case and its stages.

A stage record keeps why it ended with a required record missing
(``incomplete_because``), the times of the events its clocks count from
(``events_json``) and, when a closed case was reopened, the record it reopens
(``reopens_id``). A case keeps the time of the decision it challenges
(``decision_time``, HH:MM, beside ``decision_date``) and its priority where the
procedure sets timescales by priority.

Columns are added with ALTER TABLE (no table is rebuilt, so the search
triggers on ``stage_record`` stay as they are).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ADDED = {
    "stage_record": (
        sa.Column("incomplete_because", sa.Text(), nullable=True),
        sa.Column("events_json", sa.Text(), nullable=True),
        sa.Column("reopens_id", sa.Integer(), nullable=True),
    ),
    "escalation_case": (
        sa.Column("decision_time", sa.String(5), nullable=True),
        sa.Column("priority", sa.String(40), nullable=True),
    ),
}


def upgrade() -> None:
    for table, columns in ADDED.items():
        for column in columns:
            op.add_column(table, column)


def downgrade() -> None:
    for table, columns in ADDED.items():
        for column in columns:
            op.execute(f'ALTER TABLE {table} DROP COLUMN "{column.name}"')
