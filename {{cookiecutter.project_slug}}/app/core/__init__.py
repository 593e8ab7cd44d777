"""Settings, database, security, errors and other cross-cutting concerns."""
