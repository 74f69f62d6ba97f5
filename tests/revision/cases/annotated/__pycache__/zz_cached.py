revision = 'cache-must-be-ignored'
down_revision = None
