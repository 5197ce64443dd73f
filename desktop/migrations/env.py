"""Alembic environment: migrations always run on the connection the app hands over."""

from alembic import context

from desktop.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only from desktop.storage.schema with an open vault")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
