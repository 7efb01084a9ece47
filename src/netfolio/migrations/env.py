"""Alembic environment: netfolio always passes an open connection in ``config.attributes``."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import TypeDecorator

from netfolio.core.models import Base
from netfolio.core.search import is_search_table

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - netfolio never runs Alembic without a connection
    raise RuntimeError("run migrations through `netfolio db upgrade`")



def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write our TypeDecorators as the plain types they store, so revisions stand alone."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """The people search index (FTS5 and its shadow tables; PostgreSQL's table and
    functions) is made by raw SQL in its migration, outside the models."""
    return not (type_ == "table" and is_search_table(name))


context.configure(
    render_item=render_item,
    include_name=include_name,
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
