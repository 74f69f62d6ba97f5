revision = 'a2'
down_revision = 'a1'
branch_labels = None
depends_on = None
