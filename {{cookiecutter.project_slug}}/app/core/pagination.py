"""Pages of results: the parameters, what a repository returns, and the response body."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

MAX_PAGE_SIZE = 100
MAX_OFFSET = 100_000


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


class Paginated(Generic[T]):
    """One page of domain objects and the total across all pages.

    A plain class, not a model: the route's `response_model=Page[...]` reads it by attribute,
    validating each object once on the way out.
    """

    __slots__ = ("items", "limit", "offset", "total")

    def __init__(self, items: Sequence[T], total: int, params: PageParams) -> None:
        self.items = items
        self.total = total
        self.limit = params.limit
        self.offset = params.offset


class Page(BaseModel, Generic[T]):
    """The body of every list response."""

    items: list[T]
    total: int
    limit: int
    offset: int
