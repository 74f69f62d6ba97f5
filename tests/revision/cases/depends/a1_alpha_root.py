revision = 'a1'
down_revision = None
branch_labels = ('alpha',)
depends_on = None
