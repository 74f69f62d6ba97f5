revision = 'bbbb'
down_revision = 'aaaa'
