revision = 'bbbb'
down_revision = 'cccc'
