"""branch a1"""
revision = 'a1'
down_revision = 'w.2020.19'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
