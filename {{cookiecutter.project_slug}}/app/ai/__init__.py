"""The AI model: a client behind one small interface, and the item summary that uses it."""
