"""Point each case at its current stage record, and index notes for full-text search.

The dashboard sorts and filters 50,000 cases by current stage, due time and
status in SQL; ``current_record_id`` makes that one indexed join. The
``search_index`` FTS5 table lives inside the encrypted database and is kept
up to date by triggers.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGGERS = {
    "search_case_insert": """
        CREATE TRIGGER search_case_insert AFTER INSERT ON escalation_case BEGIN
            INSERT INTO search_index (kind, owner_id, case_id, body)
            VALUES ('case', new.id, new.id,
                    new.reference || ' ' || new.summary || ' ' || new.decision_challenged);
        END""",
    "search_case_update": """
        CREATE TRIGGER search_case_update AFTER UPDATE OF summary, decision_challenged
        ON escalation_case BEGIN
            DELETE FROM search_index WHERE kind = 'case' AND owner_id = old.id;
            INSERT INTO search_index (kind, owner_id, case_id, body)
            VALUES ('case', new.id, new.id,
                    new.reference || ' ' || new.summary || ' ' || new.decision_challenged);
        END""",
    "search_discussion_insert": """
        CREATE TRIGGER search_discussion_insert AFTER INSERT ON discussion BEGIN
            INSERT INTO search_index (kind, owner_id, case_id, body)
            SELECT 'discussion', new.id, s.case_id, new.notes
            FROM stage_record s WHERE s.id = new.stage_record_id;
        END""",
    "search_discussion_delete": """
        CREATE TRIGGER search_discussion_delete AFTER DELETE ON discussion BEGIN
            DELETE FROM search_index WHERE kind = 'discussion' AND owner_id = old.id;
        END""",
    "search_stage_fields": """
        CREATE TRIGGER search_stage_fields AFTER UPDATE OF fields_json ON stage_record BEGIN
            DELETE FROM search_index WHERE kind = 'stage' AND owner_id = old.id;
            INSERT INTO search_index (kind, owner_id, case_id, body)
            VALUES ('stage', new.id, new.case_id, new.fields_json);
        END""",
    "search_stage_insert": """
        CREATE TRIGGER search_stage_insert AFTER INSERT ON stage_record
        WHEN new.fields_json != '{}' BEGIN
            INSERT INTO search_index (kind, owner_id, case_id, body)
            VALUES ('stage', new.id, new.case_id, new.fields_json);
        END""",
}


def upgrade() -> None:
    with op.batch_alter_table("escalation_case") as batch:
        batch.add_column(sa.Column("current_record_id", sa.Integer(), nullable=True))
        batch.create_index("ix_escalation_case_current_record_id", ["current_record_id"])
    op.execute("""
        UPDATE escalation_case SET current_record_id = (
            SELECT s.id FROM stage_record s
            WHERE s.case_id = escalation_case.id
              AND NOT EXISTS (SELECT 1 FROM stage_record x WHERE x.corrects_id = s.id)
            ORDER BY s.sequence DESC, s.id DESC LIMIT 1)
    """)
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, owner_id UNINDEXED, case_id UNINDEXED, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute("""
        INSERT INTO search_index (kind, owner_id, case_id, body)
        SELECT 'case', id, id, reference || ' ' || summary || ' ' || decision_challenged
        FROM escalation_case
    """)
    op.execute("""
        INSERT INTO search_index (kind, owner_id, case_id, body)
        SELECT 'discussion', d.id, s.case_id, d.notes
        FROM discussion d JOIN stage_record s ON s.id = d.stage_record_id
    """)
    op.execute("""
        INSERT INTO search_index (kind, owner_id, case_id, body)
        SELECT 'stage', id, case_id, fields_json FROM stage_record WHERE fields_json != '{}'
    """)
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_index")
    with op.batch_alter_table("escalation_case") as batch:
        batch.drop_index("ix_escalation_case_current_record_id")
        batch.drop_column("current_record_id")
