"""The item, the example resource: owned by a user, optionally in one of their projects."""

import enum
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, stored_by_value
from app.items.search import SEARCH_INDEXES, SearchableItem
from app.projects.models import Project


class ItemStatus(enum.StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Item(SearchableItem, UUIDPrimaryKeyMixin, TimestampMixin, Base):
    __tablename__ = "item"
    __table_args__ = (
        # The listing's order (newest first, id breaking ties), for one owner and for everyone.
        Index("ix_item_owner_id_created_at", "owner_id", "created_at", "id"),
        Index("ix_item_created_at", "created_at", "id"),
        Index("ix_item_project_id", "project_id"),
        *SEARCH_INDEXES,
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ItemStatus] = mapped_column(
        stored_by_value(ItemStatus, "item_status"), default=ItemStatus.TODO
    )
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL")
    )
    # lazy="raise": every read that needs the project says so (joinedload in the repository),
    # so a list can never fall into one query per row.
    project: Mapped[Project | None] = relationship(lazy="raise")
