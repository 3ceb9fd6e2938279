import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploads made by the gates never land in var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pytest_collection_modifyitems(items):
    # schemathesis names each operation's item (`test_…[GET /api/v1/me/]`) but gives them all the
    # function's node id; pytest-xdist schedules by node id and would run one item per function.
    from _pytest.nodeid import coerce_node_id  # pytest 9 keeps the id here (pinned in requirements-dev)

    fuzzed = [item for item in items if getattr(item, "operation_label", None)]
    for item in fuzzed:
        if not item.nodeid.endswith("]"):
            item._id = coerce_node_id(f"{item.nodeid}[{item.operation_label}]")
    ids = [item.nodeid for item in fuzzed]
    if len(set(ids)) != len(ids):
        raise pytest.UsageError("fuzzed operations share node ids: pytest-xdist would skip all but one")
