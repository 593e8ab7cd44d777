"""Sentry error reporting, when a DSN is set, with secrets and e-mail addresses scrubbed."""
