"""Quoted, mixed-case, unicode and reserved names everywhere: tables,
columns, constraints and indexes."""
import sqlalchemy as sa

metadata = sa.MetaData()

sa.Table(
    "order", metadata,
    sa.Column("select", sa.Integer, primary_key=True),
    sa.Column("Mixed Case", sa.String(20), nullable=False),
    sa.Column("größe", sa.Numeric(8, 2)),
    sa.Column("my id", sa.Integer),
    sa.Column("from", sa.String(10), server_default="to"),
    sa.UniqueConstraint("Mixed Case", name="UQ Mixed"),
    sa.CheckConstraint('"größe" > 0', name='ck "quoted" name'),
)

sa.Table(
    "my table", metadata,
    sa.Column("Id", sa.Integer, primary_key=True),
    sa.Column("order", sa.Integer, sa.ForeignKey("order.select", name="FK to order")),
    sa.Column("ünïcødé", sa.String(10)),
    sa.Index("Idx Ünïcødé", "ünïcødé", "order"),
)

camel = sa.Table(
    "CamelTable", metadata,
    sa.Column("CamelId", sa.Integer, primary_key=True),
    sa.Column("lower", sa.String(5)),
    sa.Column("group", sa.String(5)),
)
sa.Index("CamelIndex", camel.c.lower, camel.c.group.desc())
