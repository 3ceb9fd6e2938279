import pytest


@pytest.fixture
def services_mode(settings):
    """A deployment with a broker, beat and workers (not the embedded default), minus the broker:
    queue lengths are unknown and nothing is pinged, so no test waits on the network."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    return settings


@pytest.fixture
def redis_broker(settings):
    """The Redis broker of the PostgreSQL + Redis run (.ci/run), emptied before and after."""
    import redis

    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://…")
    client = redis.Redis.from_url(url)
    client.flushdb()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield client
    client.flushdb()
