"""Running it in production: backups and the restore drill, the safe-migration check, the watch on
Celery workers and beat (heartbeats, queue lengths, alert rows) and the superuser's operations page.

See docs/operations.md.
"""
