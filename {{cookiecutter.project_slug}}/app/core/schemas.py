"""Field types shared by request and response bodies."""

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, SecretStr, StringConstraints

# PostgreSQL text cannot hold NUL characters. As a schema pattern the rule is enforced with a
# 422 and documented in the OpenAPI schema, so clients (and fuzzers) know it up front.
StorableText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


def normalise_password(value: object) -> object:
    """One form for every password, so one typed in another Unicode form still matches.

    NFKC, as NIST SP 800-63B asks of verifiers; a lone surrogate is not text, and is refused
    (a 422) rather than failing in the hasher.
    """
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return unicodedata.normalize("NFKC", value)


# A password as it arrives: normalised, and never shown in a repr, a log line or a response.
PasswordText = Annotated[SecretStr, BeforeValidator(normalise_password)]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable() -> Any:
    """The default of a PATCH field that may be left out but never sent as null.

    `exclude_unset` then tells "absent" (left alone) from a value; a null is a 422, as the
    schema says. Nullable fields use `X | None = None` instead, and null clears them.
    """
    return Field(default=None, json_schema_extra=_without_default)
