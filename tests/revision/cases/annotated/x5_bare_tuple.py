revision = 'x5'
down_revision = 'x4',
depends_on = 'x2', 'x3'
