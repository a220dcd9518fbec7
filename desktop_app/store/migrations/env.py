"""Alembic environment: runs on the connection the store hands over."""

from alembic import context

from desktop_app.store.schema import Base

connection = context.config.attributes.get("connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
