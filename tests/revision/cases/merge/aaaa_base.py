revision = 'aaaa'
down_revision = None
