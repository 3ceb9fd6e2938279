import io
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from linli.observability.logging import JsonFormatter, RequestIdFilter

TOKEN = "scrape-token-for-tests-0123456789"


class Scrape(dict):
    """{(sample name, frozenset(labels)): value} of one /metrics answer."""

    def value(self, name: str, **labels) -> float:
        return self.get((name, frozenset(labels.items())), 0.0)


def scrape(client) -> Scrape:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    samples = Scrape()
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


class LogLines(list):
    """The JSON lines written by a handler built like settings.LOGGING's console handler."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def read(self) -> list[dict]:
        import json

        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]

    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def log_lines():
    """Everything logged at INFO and above during the test, formatted as in production (JSON)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield LogLines(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
