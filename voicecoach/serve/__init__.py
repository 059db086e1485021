"""Idle mode: wait for the wake phrase, take a request, run sessions, go back to waiting."""
