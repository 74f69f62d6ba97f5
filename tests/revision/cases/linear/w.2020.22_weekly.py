"""weekly schema (dotted revision id, docstring header deliberately wrong)

Revision ID: not-this-one
Revises: nor-this
"""
revision = 'w.2020.22'
down_revision = 'bbbbbbbbbbbb'
branch_labels = None
depends_on = None
