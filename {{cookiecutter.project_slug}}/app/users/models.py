"""The user account."""

import enum
import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, stored_by_value


class Role(enum.StrEnum):
    USER = "user"
    ADMIN = "admin"


class User(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    # The admin listing's order.
    __table_args__ = (Index("ix_user_account_created_at", "created_at", "id"),)

    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(stored_by_value(Role, "user_role"), default=Role.USER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Carried in every token; raising it (a new password) ends every session at once.
    token_version: Mapped[int] = mapped_column(default=0)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can_access(self, owner_id: uuid.UUID) -> bool:
        """Users reach what they own; admins reach everything."""
        return self.is_admin or owner_id == self.id

    def listing_scope(self, owner_id: uuid.UUID | None) -> uuid.UUID | None:
        """Whose resources a list shows: a user's own; an admin's pick (None: everyone's)."""
        return owner_id if self.is_admin else self.id
