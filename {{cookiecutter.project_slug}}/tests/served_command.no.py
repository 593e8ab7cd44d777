"""The command that serves the app in production, as the README's Deployment section gives it."""

# app.server's protocol bounds each request head's size and arrival time; --limit-concurrency
# answers 503 past 1000 open connections and tasks instead of running out of descriptors.
PRODUCTION_COMMAND = (
    "uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000 --proxy-headers "
    "--no-access-log --http app.server:GuardedHttpToolsProtocol --limit-concurrency 1000"
)


def production_command() -> list[str]:
    """The README's command, as a list of arguments."""
    return PRODUCTION_COMMAND.split()
