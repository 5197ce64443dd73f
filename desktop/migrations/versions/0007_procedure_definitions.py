"""Keep in the vault the procedure definition each case was opened under, by SHA-256.

Existing cases get the definition their (id, version) has in the catalogue as it
is now: the bundled files and the vault's procedures folder. A case whose file
is missing today keeps no hash and is still read by (id, version) once the file
is back; the migration does not fail for it.

Revision ID: 0007
Revises: 0006
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from desktop.errors import InvalidInput
from desktop.procedures.catalogue import load_catalogue

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _procedures_folder(connection: sa.Connection) -> Path | None:
    """The procedures folder beside the database being migrated (none for a memory one)."""
    for _seq, name, file in connection.exec_driver_sql("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file).parent / "procedures"
    return None


def _keep_definitions_in_use(connection: sa.Connection) -> None:
    catalogue = load_catalogue(_procedures_folder(connection))
    used = connection.execute(
        sa.text("SELECT DISTINCT procedure_id, procedure_version FROM escalation_case")
    ).all()
    for procedure_id, version in used:
        try:
            procedure = catalogue.get(procedure_id, version)
        except InvalidInput:
            continue  # its file is missing now: read by (id, version) when it is back
        connection.execute(
            sa.text(
                "INSERT OR IGNORE INTO procedure_definition (sha256, procedure_id, version, text) "
                "VALUES (:sha, :id, :version, :text)"
            ),
            {
                "sha": procedure.sha256,
                "id": procedure.id,
                "version": version,
                "text": procedure.text,
            },
        )
        connection.execute(
            sa.text(
                "UPDATE escalation_case SET procedure_sha256 = :sha "
                "WHERE procedure_id = :id AND procedure_version = :version"
            ),
            {"sha": procedure.sha256, "id": procedure_id, "version": version},
        )


def upgrade() -> None:
    op.create_table(
        "procedure_definition",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("procedure_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_procedure_definition")),
    )
    with op.batch_alter_table("escalation_case") as batch:
        batch.add_column(sa.Column("procedure_sha256", sa.String(length=64), nullable=True))
        batch.create_index("ix_escalation_case_procedure_sha256", ["procedure_sha256"])
    _keep_definitions_in_use(op.get_bind())


def downgrade() -> None:
    # SQLite drops the column in place: a batch copy of the table would lose its
    # full-text search triggers (migration 0003).
    op.drop_index("ix_escalation_case_procedure_sha256", table_name="escalation_case")
    op.execute("ALTER TABLE escalation_case DROP COLUMN procedure_sha256")
    op.drop_table("procedure_definition")
