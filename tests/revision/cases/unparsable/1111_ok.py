revision = '1111'
down_revision = None
