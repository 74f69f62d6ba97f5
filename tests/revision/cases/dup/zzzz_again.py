"""same id again"""
revision = 'aaaa'
down_revision = None
