"""CPU that linli.observability's two middlewares add to a request, measured in-process.

    DEBUG=1 .venv/bin/python bench/observability_overhead.py                 # process-local registry
    DEBUG=1 .venv/bin/python bench/observability_overhead.py --multiprocess  # as under gunicorn

Runs a bare view through Django's whole handler (URL resolution, the settings' middleware) N times
with and without the two middlewares (RequestIdMiddleware, RequestMetricsMiddleware) and prints the
CPU time per request of each and the difference. Repeats and keeps the fastest round, since other
work on the machine only ever adds time. docs/operations.md ("Metrics") quotes the result.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--multiprocess", action="store_true", help="PROMETHEUS_MULTIPROC_DIR set, as gunicorn does")
    args = parser.parse_args()
    if args.multiprocess:
        scratch = tempfile.TemporaryDirectory(prefix="linli-prometheus-bench-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = scratch.name  # removed when the script ends
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"

    import django
    from django.conf import settings

    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.test.utils import override_settings
    from django.urls import path

    def bare(request):
        return HttpResponse(b"ok", content_type="text/plain")

    urls = type("urls", (), {"urlpatterns": [path("bench/bare/", bare, name="bench-bare")]})
    ours = [m for m in settings.MIDDLEWARE if m.startswith("linli.observability.")]
    others = [m for m in settings.MIDDLEWARE if m not in ours]
    factory = RequestFactory()

    def per_request_us(middleware: list[str]) -> float:
        from django.core.handlers.wsgi import WSGIHandler

        with override_settings(ROOT_URLCONF=urls, MIDDLEWARE=middleware):
            handler = WSGIHandler()
            environ = factory.get("/bench/bare/").environ
            best = float("inf")
            for _ in range(args.rounds):
                started = time.process_time()
                for _ in range(args.n):
                    response = handler(dict(environ), lambda status, headers, exc_info=None: None)
                    response.close()
                best = min(best, time.process_time() - started)
        return best / args.n * 1e6

    without = per_request_us(others)
    with_ours = per_request_us(ours + others)
    mode = "multiprocess" if args.multiprocess else "process-local"
    print(f"{mode}: {args.n} requests x {args.rounds} rounds, fastest round per request")
    print(f"  without: {without:7.1f} us CPU")
    print(f"  with   : {with_ours:7.1f} us CPU")
    print(f"  added  : {with_ours - without:7.1f} us CPU per request")


if __name__ == "__main__":
    main()
