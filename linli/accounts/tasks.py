from celery import shared_task


@shared_task
def flush_expired_tokens() -> int:
    """Forget spent and revoked refresh tokens once they have expired anyway (idempotent)."""
    from linli.accounts.tokens import flush_expired

    return flush_expired()
