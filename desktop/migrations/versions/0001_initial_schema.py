"""Initial schema: profile, settings, agencies, children, cases, stages, audit.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("name", name=op.f("uq_agency_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=100), nullable=False),
        sa.Column("initials", sa.String(length=20), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column(
            "plan_status",
            sa.Enum(
                "none",
                "early_help",
                "child_in_need",
                "child_protection",
                "looked_after",
                name="planstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child")),
        sa.UniqueConstraint("identifier", name=op.f("uq_child_identifier")),
    )
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("procedure_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_contact_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "escalation_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column("procedure_id", sa.String(length=100), nullable=False),
        sa.Column("procedure_version", sa.String(length=50), nullable=False),
        sa.Column("track_id", sa.String(length=100), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("decision_challenged", sa.Text(), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("raised_by_name", sa.String(length=200), nullable=False),
        sa.Column("raised_by_role", sa.String(length=200), nullable=False),
        sa.Column("raised_by_agency", sa.String(length=200), nullable=False),
        sa.Column("other_party_name", sa.String(length=200), nullable=False),
        sa.Column("other_party_role", sa.String(length=200), nullable=False),
        sa.Column("other_party_agency", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_escalation_case_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_case")),
        sa.UniqueConstraint("reference", name=op.f("uq_escalation_case_reference")),
    )
    with op.batch_alter_table("escalation_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_case_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_escalation_case_closed_at"), ["closed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_case_opened_at"), ["opened_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_case_other_party_agency"),
            ["other_party_agency"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_case_procedure_id"), ["procedure_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_case_raised_by_agency"), ["raised_by_agency"], unique=False
        )

    op.create_table(
        "stage_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.String(length=100), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "resolved",
                "unresolved",
                "withdrawn",
                name="stageoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("draft_json", sa.Text(), nullable=True),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["escalation_case.id"],
            name=op.f("fk_stage_record_case_id_escalation_case"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["stage_record.id"],
            name=op.f("fk_stage_record_corrects_id_stage_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_record")),
    )
    with op.batch_alter_table("stage_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_record_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stage_record_due_at"), ["due_at"], unique=False)

    op.create_table(
        "agreed_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["stage_record_id"],
            ["stage_record.id"],
            name=op.f("fk_agreed_action_stage_record_id_stage_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreed_action")),
    )
    with op.batch_alter_table("agreed_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreed_action_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agreed_action_stage_record_id"), ["stage_record_id"], unique=False
        )

    op.create_table(
        "discussion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("mode", sa.String(length=50), nullable=False),
        sa.Column("participants_json", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_record_id"],
            ["stage_record.id"],
            name=op.f("fk_discussion_stage_record_id_stage_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion")),
    )
    with op.batch_alter_table("discussion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_stage_record_id"), ["stage_record_id"], unique=False
        )

    op.create_table(
        "rendered_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["escalation_case.id"],
            name=op.f("fk_rendered_document_case_id_escalation_case"),
        ),
        sa.ForeignKeyConstraint(
            ["stage_record_id"],
            ["stage_record.id"],
            name=op.f("fk_rendered_document_stage_record_id_stage_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendered_document")),
    )
    with op.batch_alter_table("rendered_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rendered_document_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rendered_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendered_document_case_id"))

    op.drop_table("rendered_document")
    with op.batch_alter_table("discussion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_stage_record_id"))

    op.drop_table("discussion")
    with op.batch_alter_table("agreed_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreed_action_stage_record_id"))
        batch_op.drop_index(batch_op.f("ix_agreed_action_due_at"))

    op.drop_table("agreed_action")
    with op.batch_alter_table("stage_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_record_due_at"))
        batch_op.drop_index(batch_op.f("ix_stage_record_case_id"))

    op.drop_table("stage_record")
    with op.batch_alter_table("escalation_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_case_raised_by_agency"))
        batch_op.drop_index(batch_op.f("ix_escalation_case_procedure_id"))
        batch_op.drop_index(batch_op.f("ix_escalation_case_other_party_agency"))
        batch_op.drop_index(batch_op.f("ix_escalation_case_opened_at"))
        batch_op.drop_index(batch_op.f("ix_escalation_case_closed_at"))
        batch_op.drop_index(batch_op.f("ix_escalation_case_child_id"))

    op.drop_table("escalation_case")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_agency_id"))

    op.drop_table("contact")
    op.drop_table("setting")
    op.drop_table("profile")
    op.drop_table("child")
    op.drop_table("audit_event")
    op.drop_table("agency")
