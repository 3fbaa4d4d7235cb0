"""The filings search's own table: what the search box looks in, per request.

`filing_search.names` is the request's subject holder name, then the name and the
domains of each website the request concerns, each followed by a newline. The
database keeps it in step by triggers and indexes it for fragments (migration
0009_filing_search says how, on SQLite and on PostgreSQL; 0015 PostgreSQL's indexes
now); no service writes it.
The indexes' own objects live outside this metadata: `outside_metadata` names them
for the schema comparisons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from beian_desktop.models.base import Base

# Everything else named after the table is the index's own: SQLite's FTS5 tables
# (and the shadow tables each makes, `<name>_data`...) and positions, PostgreSQL's
# GIN indexes on an operator class and on an expression.
INDEX_PREFIXES = ("filing_search_", "ix_filing_search_")


class FilingSearch(Base):
    __tablename__ = "filing_search"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True
    )
    names: Mapped[str] = mapped_column(Text)


PG_PAIRS = "pairs"  # PostgreSQL's generated column of names' pairs, GIN-indexed


def outside_metadata(
    name: str | None, type_: str = "", parents: Mapping[Any, Any] | None = None
) -> bool:
    """The search index's tables, indexes and PostgreSQL's column of pairs, which the
    migration makes by hand (the arguments of Alembic's include_name)."""
    if name is None:
        return False
    if type_ == "column":
        return name == PG_PAIRS and (parents or {}).get("table_name") == "filing_search"
    return name.startswith(INDEX_PREFIXES)
