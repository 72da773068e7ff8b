"""Celery: the app factory and the grading task."""
