"""Background jobs: tasks sent to a queue in Redis and run by worker processes (taskiq)."""
