revision = 'init-must-be-ignored'
down_revision = None
