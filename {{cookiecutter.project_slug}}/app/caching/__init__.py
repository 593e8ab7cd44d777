"""The response cache: read results kept in Redis, invalidated by the writes that change them."""
