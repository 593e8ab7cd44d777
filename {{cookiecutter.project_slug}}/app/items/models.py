"""The item, the example resource owned by a user."""

import uuid

{% if cookiecutter.database == "postgresql" -%}
from sqlalchemy import Computed, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
{%- else -%}
from sqlalchemy import JSON, ForeignKey, Index, String, Text
{%- endif %}
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, TimestampMixin, UUIDPrimaryKeyMixin


class Item(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    __tablename__ = "item"
    __table_args__ = (
        # The listing's order (newest first, id breaking ties), for one owner and for everyone.
        Index("ix_item_owner_id_created_at", "owner_id", "created_at", "id"),
        Index("ix_item_created_at", "created_at", "id"),
{%- if cookiecutter.database == "postgresql" %}
        Index("ix_item_tags", "tags", postgresql_using="gin"),
        Index("ix_item_search_vector", "search_vector", postgresql_using="gin"),
{%- endif %}
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
{%- if cookiecutter.database == "postgresql" %}
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    # Kept up to date by PostgreSQL itself; never loaded into Python.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('english', title || ' ' || description)", persisted=True),
        deferred=True,
    )
{%- else %}
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
{%- endif %}
