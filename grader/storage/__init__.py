"""Storage: submissions, reports and API keys in SQL (SQLite by default, PostgreSQL in production)."""
