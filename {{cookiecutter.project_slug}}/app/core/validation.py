"""Constraints shared by text that reaches the database."""

# PostgreSQL text cannot hold NUL characters. As a schema pattern the rule is enforced with a
# 422 and documented in the OpenAPI schema, so clients (and fuzzers) know it up front.
NO_NUL_PATTERN = r"^[^\x00]*$"
