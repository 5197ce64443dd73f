"""Schema migrations with Alembic, run from code on an open connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest schema revision this version of the app knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Return every schema revision this version of the app knows."""
    script = ScriptDirectory.from_config(_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database is at (None for a database with no schema)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Migrate the database on ``connection`` to ``target``."""
    command.upgrade(_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    """Migrate the database on ``connection`` down to ``target`` (tests, repair)."""
    command.downgrade(_config(connection), target)
