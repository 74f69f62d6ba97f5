revision = 'bbbb'
down_revision = 'doesnotexist'
