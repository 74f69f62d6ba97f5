revision = 'dddd'
down_revision = 'aaaa'
