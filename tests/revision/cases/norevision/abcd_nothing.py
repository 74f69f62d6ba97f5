"""Revision ID: abcd
Revises:
"""
down_revision = None
