revision = 'cccc'
down_revision = 'aaaa'
