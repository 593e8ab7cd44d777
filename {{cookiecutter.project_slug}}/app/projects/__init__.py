"""Projects: named groups of items, the example of a second domain and a reference to it."""
