"""Isolation for candidate code: the backend interface, the backends, the in-sandbox runner."""
