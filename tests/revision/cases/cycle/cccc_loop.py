revision = 'cccc'
down_revision = 'bbbb'
