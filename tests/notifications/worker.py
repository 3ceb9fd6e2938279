"""A real `celery -A linli worker` subprocess on the Redis broker, reading and writing the *test* database.

    worker = CeleryWorker(env={"LINLI_SANDBOX": "1"})
    worker.start()          # returns when the worker says "ready"
    worker.kill()           # SIGKILL to its process group: no goodbye, no ack
    worker.wait_for_log("succeeded")

Used by tests marked `celery_worker`; they need `django_db(transaction=True)` so what the test writes
is committed and visible to the worker.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def purge_broker() -> None:
    """Drop queued and unacknowledged messages a previous run may have left on this broker."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")
    client.close()


class CeleryWorker:
    def __init__(self, env: dict[str, str]):
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **env,
        }
        self.log_path = Path(tempfile.mkstemp(prefix="linli-worker-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 90) -> None:
        self.starts += 1
        log = self.log_path.open("a")
        log.write(f"\n==== start {self.starts}\n")
        log.flush()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "linli",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"notifications-test-{os.getpid()}-{self.starts}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes all of it
        )
        log.close()
        self.wait_for_log(f"notifications-test-{os.getpid()}-{self.starts}@", timeout=timeout, after_start=True)
        self.wait_for_log(" ready.", timeout=timeout, after_start=True)

    def log(self, after_start: bool = False) -> str:
        text = self.log_path.read_text(errors="replace")
        return text.rsplit(f"==== start {self.starts}\n", 1)[-1] if after_start else text

    def wait_for_log(self, needle: str, *, timeout: float = 60, after_start: bool = False) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log(after_start):
                return
            if self.process and self.process.poll() is not None:
                raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log()}")
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} not in the worker's log after {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost host would: the task in hand is neither finished nor acked."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2, message: str = "condition", details=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{message} not met within {timeout}s" + (f":\n{details()}" if details else ""))
