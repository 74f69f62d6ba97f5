"""initial

Revision ID: r0
Revises:
Create Date: 2020-05-01 00:00:00

"""
revision = 'r0'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
