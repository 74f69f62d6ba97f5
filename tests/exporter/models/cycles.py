"""A self-referencing foreign key and two tables referring to each other
(department.head_id <-> employee.department_id, broken with use_alter)."""
import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
})

sa.Table(
    "department", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(40), nullable=False),
    sa.Column("head_id", sa.Integer, sa.ForeignKey("employee.id", use_alter=True,
                                                   ondelete="SET NULL")),
)

sa.Table(
    "employee", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("department_id", sa.Integer, sa.ForeignKey("department.id")),
    sa.Column("manager_id", sa.Integer, sa.ForeignKey("employee.id", ondelete="SET NULL")),
)

sa.Table(
    "node", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer),
    sa.ForeignKeyConstraint(["parent_id"], ["node.id"], name="node_parent_fk",
                            ondelete="CASCADE", deferrable=True, initially="DEFERRED"),
)
