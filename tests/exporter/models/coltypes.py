"""Every column type family, server defaults of each kind (string literal,
text(), SQL function), a collation, comments, and a table with
sqlite_autoincrement.  Python-side default= / onupdate= are not server
defaults and must not appear in the export."""
import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


class Upper(sa.types.TypeDecorator):
    """A TypeDecorator: the database sees its impl."""
    impl = sa.String(40)
    cache_ok = True


metadata = sa.MetaData()

sa.Table(
    "every_type", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("small", sa.SmallInteger),
    sa.Column("big", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    sa.Column("flag", sa.Boolean, server_default=sa.false()),
    sa.Column("checked_flag", sa.Boolean(create_constraint=True), nullable=False,
              server_default=sa.true()),
    sa.Column("amount", sa.Numeric(10, 2), server_default=sa.text("0.00")),
    sa.Column("ratio", sa.Float),
    sa.Column("precise", sa.Float(precision=53)),
    sa.Column("real", sa.REAL),
    sa.Column("dbl", sa.Float().with_variant(postgresql.DOUBLE_PRECISION(), "postgresql")),
    sa.Column("name", sa.String(50), nullable=False, server_default="anonymous"),
    sa.Column("quote", sa.String(20), server_default="it's"),
    sa.Column("unbounded", sa.String),
    sa.Column("body", sa.Text, comment="free text\n\t\x01\x1f \u00e9\u2028 \"q\" \\"),
    sa.Column("label", sa.Unicode(20)),
    sa.Column("ulong", sa.UnicodeText),
    sa.Column("code", sa.CHAR(3)),
    sa.Column("nocase", sa.String(30, collation="NOCASE").with_variant(
        sa.String(30, collation="C"), "postgresql")),
    sa.Column("born", sa.Date),
    sa.Column("seen", sa.DateTime, server_default=sa.func.current_timestamp()),
    sa.Column("seen_tz", sa.DateTime(timezone=True)),
    sa.Column("at", sa.Time),
    sa.Column("stamp", sa.TIMESTAMP, server_default=sa.text("CURRENT_TIMESTAMP")),
    sa.Column("span", sa.Interval),
    sa.Column("blob", sa.LargeBinary),
    sa.Column("doc", sa.JSON),
    sa.Column("kind", sa.Enum("small", "large", name="kind_enum", create_constraint=True),
              server_default="small"),
    sa.Column("loose_kind", sa.Enum("x", "y", name="loose_enum")),
    sa.Column("pickled", sa.PickleType),
    sa.Column("upper", Upper()),
    sa.Column("py_default", sa.Integer, default=7, onupdate=8),
    sa.Column("py_time", sa.DateTime, default=datetime.datetime.utcnow),
    comment="one column per type family",
)

sa.Table(
    "ticket", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(80), nullable=False),
    sqlite_autoincrement=True,
)

sa.Table(
    "composite", metadata,
    sa.Column("a", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("b", sa.String(10), primary_key=True),
    sa.Column("note", sa.Text, nullable=True),
)
