"""Real concurrency for the PostgreSQL tests: callables started together in threads of their own.

    results = race([lambda: register(a), lambda: register(b)])   # in order; an exception is a result
    race_n(20, lambda i: buy(users[i]))                           # the same work, n times

Each thread uses its own database connection (Django opens one per thread) and closes it when done,
so the test database can be dropped afterwards. Use with `django_db(transaction=True)`: threads see
only what is committed.
"""

import threading
from collections.abc import Callable, Sequence


def race(calls: Sequence[Callable[[], object]], *, timeout: float = 120) -> list:
    """Start every callable at the same moment (a barrier), wait for all; return what each returned
    or raised, in the order given."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test's assertions look at it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"a racing thread did not finish within {timeout} s (a deadlock?)")
    return results


def race_n(n: int, work: Callable[[int], object], **kw) -> list:
    """`race` of `work(0)` … `work(n - 1)`."""
    return race([lambda i=i: work(i) for i in range(n)], **kw)


def errors(results: list) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]
