"""SQLite-only features: COLLATE on index elements (NOCASE, which
PostgreSQL does not have; one equal to the column's own, which SQLite does
not report), WITHOUT ROWID, and a table in the default schema named
explicitly ("main")."""
import sqlalchemy as sa

metadata = sa.MetaData()

person = sa.Table(
    "person", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(60)),
    sa.Column("nick", sa.String(60, collation="NOCASE")),
)
sa.Index("ix_person_name_nocase", person.c.name.collate("NOCASE"))
sa.Index("ix_person_nick_nocase", person.c.nick.collate("NOCASE"))
sa.Index("ix_person_nick_rtrim", person.c.nick.collate("RTRIM").desc())

sa.Table(
    "kv", metadata,
    sa.Column("k", sa.String(20), primary_key=True),
    sa.Column("v", sa.Text),
    sqlite_with_rowid=False,
)

sa.Table(
    "in_main", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    schema="main",
)
