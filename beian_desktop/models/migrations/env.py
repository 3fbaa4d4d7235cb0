"""Alembic environment: runs on the engine the application hands it."""

from __future__ import annotations

from alembic import context

from beian_desktop.models import Base
from beian_desktop.models.search_tables import outside_metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` on the command line: take the URL from -x url=...
    from beian_desktop.models.database import make_engine

    engine = make_engine(context.get_x_argument(as_dictionary=True)["url"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        # The search index's FTS5 tables and GIN indexes are made by hand (0009).
        include_name=lambda name, type_, parents: not outside_metadata(name, type_, parents),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
