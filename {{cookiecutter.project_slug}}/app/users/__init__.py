"""User accounts: self-service and administration."""
