"""Schema migrations with Alembic, run from code on an open connection.

Alembic is imported only when a migration has to run: opening an up-to-date
vault compares the stored revision with ``HEAD`` (a test keeps ``HEAD`` equal
to the newest migration script).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parents[1] / "migrations"
HEAD = "0012"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest schema revision this version of the app knows."""
    return HEAD


def script_head() -> str | None:
    """Return the newest revision among the migration scripts (what ``HEAD`` must equal)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    """Return every schema revision this version of the app knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database is at (None for a database with no schema)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Migrate the database on ``connection`` to ``target``."""
    from alembic import command

    command.upgrade(_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    """Migrate the database on ``connection`` down to ``target`` (tests, repair)."""
    from alembic import command

    command.downgrade(_config(connection), target)
