"""The migrated schema equals the ORM models: nothing a migration forgot."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.models import Base
from desktop.storage.vault import Vault


def _not_full_text_index(name: str | None, kind: str, _parents: object) -> bool:
    # The FTS5 table and its shadow tables are made by SQL in migration 0003.
    return not (kind == "table" and (name or "").startswith("search_index"))


def test_migrations_produce_exactly_the_models(vault: Vault) -> None:
    with vault.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": _not_full_text_index}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
