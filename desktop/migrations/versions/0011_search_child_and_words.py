"""Search finds a case by its child's identifier, and a stage by its words (not its JSON keys).

A case's entry in ``search_index`` now holds its reference, its child's
identifier, its summary and the decision challenged; a stage's entry holds
only the text its fields hold (``json_tree`` over ``fields_json``), so a
snippet of a match reads as the record does, and a field's name ("outcome")
no longer matches every stage. The index is rebuilt once, inside the
encrypted database.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CASE_BODY = """
    new.reference || ' ' || coalesce((SELECT identifier FROM child WHERE id = new.child_id), '')
    || ' ' || new.summary || ' ' || new.decision_challenged"""
STAGE_WORDS = """
    coalesce((SELECT group_concat(value, ' ') FROM json_tree(
        CASE WHEN json_valid(new.fields_json) THEN new.fields_json ELSE '{}' END)
        WHERE type = 'text'), '')"""
INSERT = "INSERT INTO search_index (kind, owner_id, case_id, body)"


def _sql(template: str) -> str:
    """Fill in the row a case or a stage is indexed as (fixed SQL text, never input)."""
    case_row = "'case', new.id, new.id, " + CASE_BODY
    stage_row = "'stage', new.id, new.case_id, " + STAGE_WORDS
    return (
        template.replace("INSERT_ROW", INSERT)
        .replace("CASE_ROW", case_row)
        .replace("STAGE_ROW", stage_row)
    )


TRIGGERS = {
    "search_case_insert": _sql(
        "CREATE TRIGGER search_case_insert AFTER INSERT ON escalation_case BEGIN "
        "INSERT_ROW VALUES (CASE_ROW); END"
    ),
    "search_case_update": _sql(
        "CREATE TRIGGER search_case_update "
        "AFTER UPDATE OF reference, child_id, summary, decision_challenged "
        "ON escalation_case BEGIN "
        "DELETE FROM search_index WHERE kind = 'case' AND owner_id = old.id; "
        "INSERT_ROW VALUES (CASE_ROW); END"
    ),
    "search_child_update": (
        "CREATE TRIGGER search_child_update AFTER UPDATE OF identifier ON child BEGIN "
        "UPDATE escalation_case SET child_id = child_id WHERE child_id = new.id; END"
    ),
    "search_stage_fields": _sql(
        "CREATE TRIGGER search_stage_fields AFTER UPDATE OF fields_json ON stage_record BEGIN "
        "DELETE FROM search_index WHERE kind = 'stage' AND owner_id = old.id; "
        "INSERT_ROW VALUES (STAGE_ROW); END"
    ),
    "search_stage_insert": _sql(
        "CREATE TRIGGER search_stage_insert AFTER INSERT ON stage_record "
        "WHEN new.fields_json != '{}' BEGIN "
        "INSERT_ROW VALUES (STAGE_ROW); END"
    ),
}
REPLACED = (
    "search_case_insert",
    "search_case_update",
    "search_stage_fields",
    "search_stage_insert",
)


def _rebuild() -> None:
    """Index every case and stage again as the triggers now would (``new`` names the row)."""
    op.execute("DELETE FROM search_index WHERE kind IN ('case', 'stage')")
    op.execute(_sql("INSERT_ROW SELECT CASE_ROW FROM escalation_case AS new"))
    op.execute(
        _sql("INSERT_ROW SELECT STAGE_ROW FROM stage_record AS new WHERE new.fields_json != '{}'")
    )


def upgrade() -> None:
    for name in REPLACED:
        op.execute(f"DROP TRIGGER {name}")
    for sql in TRIGGERS.values():
        op.execute(sql)
    _rebuild()


# Revision 0003's triggers and index, which downgrade puts back (as 0003 wrote them).
OLD_TRIGGERS = (
    """CREATE TRIGGER search_case_insert AFTER INSERT ON escalation_case BEGIN
        INSERT INTO search_index (kind, owner_id, case_id, body)
        VALUES ('case', new.id, new.id,
                new.reference || ' ' || new.summary || ' ' || new.decision_challenged);
    END""",
    """CREATE TRIGGER search_case_update AFTER UPDATE OF summary, decision_challenged
    ON escalation_case BEGIN
        DELETE FROM search_index WHERE kind = 'case' AND owner_id = old.id;
        INSERT INTO search_index (kind, owner_id, case_id, body)
        VALUES ('case', new.id, new.id,
                new.reference || ' ' || new.summary || ' ' || new.decision_challenged);
    END""",
    """CREATE TRIGGER search_stage_fields AFTER UPDATE OF fields_json ON stage_record BEGIN
        DELETE FROM search_index WHERE kind = 'stage' AND owner_id = old.id;
        INSERT INTO search_index (kind, owner_id, case_id, body)
        VALUES ('stage', new.id, new.case_id, new.fields_json);
    END""",
    """CREATE TRIGGER search_stage_insert AFTER INSERT ON stage_record
    WHEN new.fields_json != '{}' BEGIN
        INSERT INTO search_index (kind, owner_id, case_id, body)
        VALUES ('stage', new.id, new.case_id, new.fields_json);
    END""",
)
OLD_INDEX = (
    """INSERT INTO search_index (kind, owner_id, case_id, body)
    SELECT 'case', id, id, reference || ' ' || summary || ' ' || decision_challenged
    FROM escalation_case""",
    """INSERT INTO search_index (kind, owner_id, case_id, body)
    SELECT 'stage', id, case_id, fields_json FROM stage_record WHERE fields_json != '{}'""",
)


def downgrade() -> None:
    """Go back to revision 0003's triggers and index (reference, summary, decision; raw JSON)."""
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    for sql in OLD_TRIGGERS:
        op.execute(sql)
    op.execute("DELETE FROM search_index WHERE kind IN ('case', 'stage')")
    for sql in OLD_INDEX:
        op.execute(sql)
