"""SQLAlchemy metadata fixtures for the exporter tests (tests/exporter)."""
