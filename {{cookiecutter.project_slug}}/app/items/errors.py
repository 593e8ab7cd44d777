"""What can go wrong with items, in words for the API's users."""

from app.core.errors import NotFoundError


class ItemNotFound(NotFoundError):
    detail = "Item not found."
