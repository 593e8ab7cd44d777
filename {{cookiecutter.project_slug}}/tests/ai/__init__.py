"""The AI provider option: the summary route, the client behind it, and its settings."""
