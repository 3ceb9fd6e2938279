"""Under gunicorn each worker process counts on its own; with PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py)
one process's scrape adds up everyone's, including processes that have exited."""

import os
import subprocess
import sys

from django.conf import settings

COUNT = """
import django, sys
django.setup()
from linli.observability.metrics import CELERY_TASKS
CELERY_TASKS.labels("tests.multiprocess", "succeeded").inc(int(sys.argv[1]))
"""
SCRAPE = """
import django
django.setup()
from linli.observability.metrics import render
print(render()[0].decode())
"""


def run(code: str, *args: str, directory) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_scrape_adds_up_the_counts_of_every_worker_process(tmp_path):
    run(COUNT, "2", directory=tmp_path)
    run(COUNT, "3", directory=tmp_path)
    exposition = run(SCRAPE, directory=tmp_path)
    assert 'linli_celery_tasks_total{outcome="succeeded",task="tests.multiprocess"} 5.0' in exposition
