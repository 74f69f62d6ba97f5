"""add email

Revision ID: bbbbbbbbbbbb
Revises: 1a2b3c4d5e6f
"""
revision = "bbbbbbbbbbbb"
down_revision = "1a2b3c4d5e6f"  # the first one
branch_labels = None
depends_on = None


def upgrade():
    pass
