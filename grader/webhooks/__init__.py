"""Webhooks: signed (Standard Webhooks), delivered by Celery with retries, never to internal addresses."""
