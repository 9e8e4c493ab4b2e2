"""The pieces of scripts/bench (the entry point), split by concern."""
