"""Alembic migration scripts for the vault schema."""
