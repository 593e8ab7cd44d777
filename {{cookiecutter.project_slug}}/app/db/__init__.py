"""The declarative base shared by every model."""
