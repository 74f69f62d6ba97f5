revision = 'b2'
down_revision = 'b1'
branch_labels = None
depends_on = ['alpha', 'a2']
