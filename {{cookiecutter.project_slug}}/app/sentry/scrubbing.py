"""What never leaves for Sentry: secrets, tokens, passwords, credentials, e-mail addresses.

Sentry's data collection settings (see the extension) leave out bodies, cookies, user data and
frame variables, and filter headers and query parameters whose names hold `token`,
`password`, `secret`, `auth`, ... `scrub_event` then goes over the whole event: a key that
holds one of this service's sensitive words (`email`, `database_url`, `dsn`) is blanked, and
so is text that looks like a secret wherever it appears (an exception's message, a log line,
a URL). A password written into a message as plain text looks like any other word: keep
secrets out of messages.
"""

import re
from typing import Any

FILTERED = "[Filtered]"
KEPT_AS_THEY_ARE = ("release", "environment")

# Keys whose values are blanked wherever they appear in the event, by substring.
SENSITIVE_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "api_key",
    "apikey",
    "credential",
    "dsn",
    "database_url",
    "email",
)

SENSITIVE_TEXT = [
    # E-mail addresses.
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"),
    # Tokens after an authentication scheme, and JWTs wherever they are.
    re.compile(r"(?i)\b(?:bearer|basic)\s+[\w.~+/=-]+"),
    re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"),
    # Password hashes.
    re.compile(r"\$argon2\w*\$[^\s'\"]+"),
]
# A password inside a URL (`postgresql://user:password@host`): the password only.
URL_PASSWORD = re.compile(r"(?P<head>[a-z][\w+.-]*://[^:/@\s]*:)[^@\s]+(?=@)", re.IGNORECASE)


def scrub_text(text: str) -> str:
    text = URL_PASSWORD.sub(rf"\g<head>{FILTERED}", text)
    for pattern in SENSITIVE_TEXT:
        text = pattern.sub(FILTERED, text)
    return text


def sensitive_key(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


def scrub(value: Any) -> Any:
    """A copy of the (JSON-like) value with every sensitive key's value and text blanked."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: FILTERED if isinstance(key, str) and sensitive_key(key) else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def scrub_event(event: Any, hint: Any) -> Any:
    """Sentry's `before_send`: runs on each error event, just before it is sent."""
    # The service's own names, from its settings (a release `my-service@1.2.3.dev4` is no address).
    kept = {key: event[key] for key in KEPT_AS_THEY_ARE if key in event}
    return {**scrub(event), **kept}
