"""Redis: the state replicas share (counters, cache entries), on one client pool per process."""
