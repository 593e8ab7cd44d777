"""The optional parts this service was baked with, in the order they start (and stop reversed)."""

from app.core.extension import Extension


def baked_extensions() -> list[Extension]:
    """A new instance of each; the app built with them owns them."""
    return []
