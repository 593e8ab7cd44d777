"""Tags and text search for items on SQLite: a JSON array and a substring match."""

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ColumnElement, Index, exists, func, or_
from sqlalchemy.orm import Mapped, mapped_column

SEARCH_INDEXES: tuple[Index, ...] = ()


class SearchableItem:
    """The item's tags, and the filters that search items."""

    if TYPE_CHECKING:  # declared by Item itself
        title: Mapped[str]
        description: Mapped[str]

    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    @classmethod
    def has_tag(cls, tag: str) -> ColumnElement[bool]:
        values = func.json_each(cls.tags).table_valued("value")
        return exists().select_from(values).where(values.c.value == tag)

    @classmethod
    def matches(cls, text: str) -> ColumnElement[bool]:
        # autoescape: a `%` or `_` in the search is a character to find, not a wildcard.
        return or_(
            cls.title.icontains(text, autoescape=True),
            cls.description.icontains(text, autoescape=True),
        )
