revision = 'dddd'
down_revision = 'cccc'
