"""Field types shared by request and response bodies."""

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Field, SecretStr, StringConstraints

# PostgreSQL text cannot hold NUL characters. As a schema pattern the rule is enforced with a
# 422 and documented in the OpenAPI schema, so clients (and fuzzers) know it up front.
StorableText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


def normalise_password(password: SecretStr) -> SecretStr:
    """One form for every password, so one typed in another Unicode form still matches.

    NFKC, as NIST SP 800-63B asks of verifiers; a lone surrogate is not text, and is refused
    (a 422) rather than failing in the hasher. It runs after the length limits, which the
    schema states for the password as sent.
    """
    value = password.get_secret_value()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return SecretStr(unicodedata.normalize("NFKC", value))


# Passwords as they arrive: length-checked as sent, then normalised; a SecretStr never shows
# in a repr, a log line or a response.
NewPassword = Annotated[
    SecretStr, Field(min_length=8, max_length=128), AfterValidator(normalise_password)
]
GivenPassword = Annotated[
    SecretStr, Field(min_length=1, max_length=128), AfterValidator(normalise_password)
]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable() -> Any:
    """The default of a PATCH field that may be left out but never sent as null.

    `exclude_unset` then tells "absent" (left alone) from a value; a null is a 422, as the
    schema says. Nullable fields use `X | None = None` instead, and null clears them.
    """
    return Field(default=None, json_schema_extra=_without_default)
