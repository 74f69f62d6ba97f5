revision = 'b1'
down_revision = None
branch_labels = 'beta'
depends_on = None
