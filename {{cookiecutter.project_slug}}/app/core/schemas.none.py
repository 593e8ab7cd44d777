"""Field types shared by request and response bodies."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

# PostgreSQL text cannot hold NUL characters. As a schema pattern the rule is enforced with a
# 422 and documented in the OpenAPI schema, so clients (and fuzzers) know it up front.
StorableText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable() -> Any:
    """The default of a PATCH field that may be left out but never sent as null.

    `exclude_unset` then tells "absent" (left alone) from a value; a null is a 422, as the
    schema says. Nullable fields use `X | None = None` instead, and null clears them.
    """
    return Field(default=None, json_schema_extra=_without_default)
