"""The generic repository: what every table needs, so a domain's repository holds only its
own queries. Repositories build queries and flush; they never commit and never raise errors
meant for users (services translate `DuplicateError` into a domain error)."""

import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, bindparam, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from app.core.pagination import PageParams, Paginated
from app.db.base import Base

ModelT = TypeVar("ModelT", bound=Base)

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATEs; SQLite says them in words
SQLITE_UNIQUE_VIOLATION = "UNIQUE constraint failed"
FOREIGN_KEY_VIOLATION = "23503"
SQLITE_FOREIGN_KEY_VIOLATION = "FOREIGN KEY constraint failed"


class DuplicateError(Exception):
    """A write broke a unique constraint (a concurrent request may have won the race).

    It carries no values: the database's message quotes the duplicate row.
    """


class MissingReferenceError(Exception):
    """A write referred to a row that is not there: checked before, but deleted since by a
    concurrent transaction. Services report it as that row's not-found error."""


def is_unique_violation(error: IntegrityError) -> bool:
    if getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return str(error.orig).startswith(SQLITE_UNIQUE_VIOLATION)


def is_foreign_key_violation(error: IntegrityError) -> bool:
    if getattr(error.orig, "sqlstate", None) == FOREIGN_KEY_VIOLATION:
        return True
    return str(error.orig).startswith(SQLITE_FOREIGN_KEY_VIOLATION)


@lru_cache(maxsize=256)
def by_id(model: type[Base], options: tuple[ORMOption, ...]) -> Select[Any]:
    """The statement that loads one row of `model` by primary key, built once per model and
    options (pass module-level constants), with the key bound when it runs.

    SQLAlchemy caches a statement's compiled SQL, but finds it through a key computed from the
    statement's structure; building the statement and that key anew costs more CPU than the
    query itself, on the lookup every authenticated request makes.
    """
    (primary_key,) = inspect(model).primary_key
    return select(model).where(primary_key == bindparam("id")).options(*options)


class Repository(Generic[ModelT]):
    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: uuid.UUID, *, options: Sequence[ORMOption] = ()) -> ModelT | None:
        instance: ModelT | None = await self.session.scalar(
            by_id(self.model, tuple(options)), {"id": id_}
        )
        return instance

    async def add(self, instance: ModelT) -> ModelT:
        self.session.add(instance)
        await self.flush()
        return instance

    async def update(self, instance: ModelT, changes: Mapping[str, Any]) -> ModelT:
        for name, value in changes.items():
            setattr(instance, name, value)
        await self.flush()
        return instance

    async def delete(self, instance: ModelT) -> None:
        await self.session.delete(instance)
        await self.session.flush()

    async def paginate(
        self,
        statement: Select[ModelT],
        params: PageParams,
        *,
        options: Sequence[ORMOption] = (),
    ) -> Paginated[ModelT]:
        """One page of `statement` (which must be ordered), and the total it matches.

        One round trip: the total rides along with the page's rows as an uncorrelated scalar
        subquery, which the database computes once. Only a page past the end, which has no row
        to carry it, costs a second query.
        """
        count = statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
        total = count.scalar_subquery().correlate(None)
        page = statement.add_columns(total).options(*options)
        rows = (await self.session.execute(page.limit(params.limit).offset(params.offset))).all()
        if rows:
            return Paginated([row[0] for row in rows], rows[0][1], params)
        if params.offset == 0:
            return Paginated([], 0, params)
        return Paginated([], await self.session.scalar(count) or 0, params)

    async def flush(self) -> None:
        """Send pending changes; a unique violation becomes `DuplicateError`, a reference to a
        row deleted meanwhile `MissingReferenceError`.

        The session cannot go on after it: the service raises, and the transaction rolls back.
        """
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise DuplicateError(self.model.__tablename__) from exc
            if is_foreign_key_violation(exc):
                raise MissingReferenceError(self.model.__tablename__) from exc
            raise
