"""Storage: SQLAlchemy 2 models, engine set-up, queries and Alembic migrations."""
