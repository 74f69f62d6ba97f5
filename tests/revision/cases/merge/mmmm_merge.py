"""merge heads

Revision ID: mmmm
Revises: bbbb, cccc
"""
revision = 'mmmm'
down_revision = ('bbbb', 'cccc')
branch_labels = None
depends_on = None
