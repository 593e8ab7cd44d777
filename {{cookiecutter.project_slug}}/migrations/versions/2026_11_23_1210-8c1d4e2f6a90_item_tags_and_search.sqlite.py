"""Item tags and search: a JSON array of tags.

Revision ID: 8c1d4e2f6a90
Revises: 3f6c2a1d9b7e
Create Date: 2026-11-23 12:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c1d4e2f6a90"
down_revision: str | None = "3f6c2a1d9b7e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds a NOT NULL column only by copying the table, which batch mode does.
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("tags", sa.JSON(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.drop_column("tags")
