"""Item tags and search: a text array and full-text search, GIN-indexed.

Revision ID: 8c1d4e2f6a90
Revises: 3f6c2a1d9b7e
Create Date: 2026-11-23 12:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "8c1d4e2f6a90"
down_revision: str | None = "3f6c2a1d9b7e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The table is new and empty, so NOT NULL columns need no default.
    op.add_column("item", sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False))
    op.add_column(
        "item",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('english', title || ' ' || description)", persisted=True),
            nullable=False,
        ),
    )
    op.create_index("ix_item_search_vector", "item", ["search_vector"], postgresql_using="gin")
    op.create_index("ix_item_tags", "item", ["tags"], postgresql_using="gin")


def downgrade() -> None:
    # Dropping the columns drops their indexes with them.
    op.drop_column("item", "search_vector")
    op.drop_column("item", "tags")
