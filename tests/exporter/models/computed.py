"""Computed (generated) columns: virtual (SQLite's default) and stored."""
import sqlalchemy as sa

metadata = sa.MetaData()

sa.Table(
    "rect", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("w", sa.Integer, nullable=False),
    sa.Column("h", sa.Integer, nullable=False),
    sa.Column("area", sa.Integer, sa.Computed("w * h")),
    sa.Column("perimeter", sa.Integer, sa.Computed("2 * (w + h)", persisted=True)),
    sa.Column("label", sa.String(30), sa.Computed(sa.literal_column("'r' || id"), persisted=True)),
)
