"""Expression, DESC and partial indexes (sqlite_where and
postgresql_where), unique indexes, and an index element given as text().
Index elements with COLLATE are in sqlite_only.py and pg_only.py (no
collation name exists in both)."""
import sqlalchemy as sa

metadata = sa.MetaData()

person = sa.Table(
    "person", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(120), nullable=False),
    sa.Column("name", sa.String(60)),
    sa.Column("nick", sa.String(60, collation="NOCASE").with_variant(
        sa.String(60, collation="C"), "postgresql")),
    sa.Column("age", sa.Integer),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
)

sa.Index("ix_person_lower_email", sa.func.lower(person.c.email), unique=True)
sa.Index("ix_person_name_desc", person.c.name.desc(), person.c.age)
sa.Index("ix_person_expr_desc", sa.desc(sa.func.lower(person.c.name)))
sa.Index("ix_person_live_email", person.c.email, unique=True,
         sqlite_where=person.c.deleted == sa.false(),
         postgresql_where=person.c.deleted == sa.false())
sa.Index("ix_person_adults", person.c.age, sqlite_where=sa.text("age >= 18"),
         postgresql_where=sa.text("age >= 18"))
sa.Index("ix_person_text", sa.text("age + 1"))
