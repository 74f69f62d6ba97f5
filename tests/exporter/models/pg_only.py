"""PostgreSQL-only features: a schema other than the default, NULLS
FIRST/LAST index elements (SQLite refuses them in CREATE INDEX), an
IDENTITY column, a native enum, SERIAL/BIGSERIAL keys, a cross-schema
foreign key, a comment on a table, two sequences, and index options:
operator classes (postgresql_ops on a column and on a labelled
expression, and int4_ops as SQLAlchemy's documentation writes it, which
is the default), a GIN method and INCLUDE columns."""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})

mood = postgresql.ENUM("happy", "sad", name="mood")

sa.Table(
    "account", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("name", sa.String(40), unique=True),
    sa.Column("mood", mood),
    sa.Column("flags", postgresql.ARRAY(sa.Integer)),
    sa.Column("data", postgresql.JSONB, server_default=sa.text("'{}'::jsonb")),
    schema="app",
    comment="accounts live in schema app",
)

events = sa.Table(
    "event", metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("account_id", sa.BigInteger, sa.ForeignKey("app.account.id", ondelete="CASCADE")),
    sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    sa.Column("score", sa.Integer),
    sa.Column("tag", sa.String(20)),
)
sa.Index("ix_event_score", sa.nullslast(events.c.score.desc()))
sa.Index("ix_event_at", events.c.at.asc().nullsfirst())
sa.Index("ix_event_defaults", events.c.score.desc().nullsfirst(), events.c.at.nullslast())
sa.Index("ix_event_collated", events.c.tag.collate("C"), sa.func.lower(events.c.tag).collate("C"))

sa.Table(
    "counter", metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False, server_default=sa.text("0")),
)

# sequences create_all() makes on their own: one on the metadata, one a column's default
sa.Sequence("order_no", start=100, increment=5, maxvalue=100000, cycle=True, metadata=metadata,
            schema="app")
sa.Table(
    "ticket", metadata,
    sa.Column("id", sa.Integer, sa.Sequence("ticket_id_seq", start=7), primary_key=True),
)

doc = sa.Table(
    "doc", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("code", sa.String(20)),
    sa.Column("title", sa.Text),
    sa.Column("payload", postgresql.JSONB),
)
sa.Index("ix_doc_name_pattern", doc.c.name, postgresql_ops={"name": "text_pattern_ops"})
sa.Index("ix_doc_title_lower", doc.c.id, sa.func.lower(doc.c.title).label("title_lower"),
         postgresql_ops={"title_lower": "text_pattern_ops", "id": "int4_ops"})
sa.Index("ix_doc_payload", doc.c.payload, postgresql_using="gin",
         postgresql_ops={"payload": "jsonb_path_ops"})
sa.Index("ix_doc_code", doc.c.code, postgresql_include=["title"])
