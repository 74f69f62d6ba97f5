"""Naming conventions as Alembic's documentation recommends them, plus
column-level unique=True / index=True, a named Boolean CHECK, and a second
MetaData without conventions whose constraints stay unnamed.  Exported as
the list `both` (merged) and through the callable `build`."""
import sqlalchemy as sa

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=CONVENTION)

sa.Table(
    "account", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(120), nullable=False, unique=True),
    sa.Column("login", sa.String(40), index=True),
    sa.Column("nick", sa.String(40), index=True, unique=True),
    sa.Column("active", sa.Boolean(create_constraint=True, name="active_bool"),
              nullable=False, server_default=sa.true()),
    sa.Column("balance", sa.Numeric(12, 2)),
    sa.CheckConstraint("balance >= 0", name="balance_positive"),
)

sa.Table(
    "a_table_with_a_rather_long_name_for_its_constraints", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("account.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("and_a_column_with_a_long_name_as_well", sa.String(20)),
    sa.UniqueConstraint("owner_id", "and_a_column_with_a_long_name_as_well"),
    sa.Index(None, "owner_id"),
)

plain = sa.MetaData()

sa.Table(
    "plain_parent", plain,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(8), unique=True),
    sa.Column("flag", sa.Boolean(create_constraint=True)),
    sa.CheckConstraint("length(code) = 8"),
)

sa.Table(
    "plain_child", plain,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("plain_parent.id", ondelete="SET NULL",
                                                     onupdate="CASCADE")),
    sa.Column("parent_code", sa.String(8)),
    sa.ForeignKeyConstraint(["parent_code"], ["plain_parent.code"], name="named_by_hand",
                            deferrable=True, initially="DEFERRED"),
    sa.UniqueConstraint("parent_id", "parent_code"),
    sa.Index("ix_plain_child_parent", "parent_id", "parent_code"),
)

both = [metadata, plain]


def build():
    """A callable returning a MetaData (a schema built on demand)."""
    return metadata
