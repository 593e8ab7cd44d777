"""What items use of PostgreSQL: tags as a text array and full-text search, GIN-indexed.

The whole showcase lives here and in the revision `item_tags_and_search`: to drop it, replace
this module with plain columns and filters (the SQLite variant of this template is one such
version) and write the migration that goes with it.
"""

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Computed, Index, String, func
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

SEARCH_INDEXES = (
    Index("ix_item_tags", "tags", postgresql_using="gin"),
    Index("ix_item_search_vector", "search_vector", postgresql_using="gin"),
)


class SearchableItem:
    """The item's tags and search columns, and the filters that use them."""

    if TYPE_CHECKING:  # declared by Item itself
        title: Mapped[str]
        description: Mapped[str]

    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    # Kept up to date by PostgreSQL itself; never loaded into Python.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('english', title || ' ' || description)", persisted=True),
        deferred=True,
    )

    @classmethod
    def has_tag(cls, tag: str) -> ColumnElement[bool]:
        return cls.tags.contains([tag])

    @classmethod
    def matches(cls, text: str) -> ColumnElement[bool]:
        """Web-search syntax (`red -car`, `"exact phrase"`) over title and description."""
        return cls.search_vector.bool_op("@@")(func.websearch_to_tsquery("english", text))
