"""Imports every model, so that `Base.metadata` is complete for Alembic and the tests."""

from app.db.base import Base
from app.items.models import Item
from app.projects.models import Project

__all__ = ["Base", "Item", "Project"]
