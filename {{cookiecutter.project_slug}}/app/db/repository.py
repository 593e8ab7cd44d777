"""The generic repository: what every table needs, so a domain's repository holds only its
own queries. Repositories build queries and flush; they never commit and never raise errors
meant for users (services translate `DuplicateError` into a domain error)."""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from app.core.pagination import PageParams, Paginated
from app.db.base import Base

ModelT = TypeVar("ModelT", bound=Base)

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE; SQLite says it in words
SQLITE_UNIQUE_VIOLATION = "UNIQUE constraint failed"


class DuplicateError(Exception):
    """A write broke a unique constraint (a concurrent request may have won the race).

    It carries no values: the database's message quotes the duplicate row.
    """


def is_unique_violation(error: IntegrityError) -> bool:
    if getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return str(error.orig).startswith(SQLITE_UNIQUE_VIOLATION)


class Repository(Generic[ModelT]):
    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: uuid.UUID, *, options: Sequence[ORMOption] = ()) -> ModelT | None:
        return await self.session.get(self.model, id_, options=options)

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
        """One page of `statement` (which must be ordered), and the total it matches."""
        count = statement.with_only_columns(func.count(), maintain_column_froms=True)
        total = await self.session.scalar(count.order_by(None))
        rows = await self.session.scalars(
            statement.options(*options).limit(params.limit).offset(params.offset)
        )
        return Paginated(rows.all(), total or 0, params)

    async def flush(self) -> None:
        """Send pending changes; a unique violation becomes `DuplicateError`.

        The session cannot go on after it: the service raises, and the transaction rolls back.
        """
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise DuplicateError(self.model.__tablename__) from exc
            raise
