"""bad down_revision"""
from alembic import op

PREVIOUS = '1111'

revision = '2222'
down_revision = PREVIOUS
