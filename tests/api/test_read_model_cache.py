"""linli/lib/cache.py: versioned keys that a committed write replaces, whatever the cache lost."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache as django_cache
from django.utils import timezone

from linli.lib import cache

pytestmark = pytest.mark.django_db


def test_a_bump_gives_new_keys_in_its_scope_only():
    before = {scope: cache.key("cards", [scope], "page 1") for scope in (1, 2)}

    cache.bump("cards", [1])

    assert cache.key("cards", [1], "page 1") != before[1]
    assert cache.key("cards", [2], "page 1") == before[2]


def test_the_parts_of_the_answer_are_in_the_key():
    assert cache.key("cards", [1], [1, 2], "page 1") != cache.key("cards", [1], [1], "page 1")
    assert cache.key("cards", [1], [1], "page 1") != cache.key("cards", [1], [1], "page 2")


def test_an_entry_stored_before_the_commit_is_not_read_after_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cache.bump("cards", [1])
        # A reader took the version the bump made before the commit and stored the old rows.
        during = cache.key("cards", [1], "page 1")
        django_cache.set(during, "the rows before the commit")

    assert cache.key("cards", [1], "page 1") != during


def test_a_version_the_cache_lost_does_not_come_back_at_an_old_value():
    old = cache.key("cards", [1], "page 1")
    django_cache.set(old, "old rows")
    cache.bump("cards", [1])
    django_cache.delete("rm:v:cards:1")  # evicted, or Redis restarted without its data

    assert cache.key("cards", [1], "page 1") != old


def test_it_builds_once_and_serves_the_stored_value():
    calls = []

    def build():
        calls.append(1)
        return {"rows": [1, 2]}, None

    assert cache.get_or_build("rm:test", build) == ({"rows": [1, 2]}, False)
    assert cache.get_or_build("rm:test", build) == ({"rows": [1, 2]}, True)
    assert len(calls) == 1


def test_an_answer_that_has_already_expired_is_not_stored():
    cache.get_or_build("rm:test", lambda: ("ended", timezone.now() - timedelta(seconds=1)))

    assert django_cache.get("rm:test") is None


def test_an_entry_ends_at_its_moment_whatever_the_cache_still_holds():
    ends = timezone.now() + timedelta(minutes=30)
    cache.get_or_build("rm:test", lambda: ("before", ends))
    # The cache's own expiry runs on its clock (Redis: whole seconds, its own time); the moment decides.
    with time_machine.travel(ends + timedelta(seconds=1)):
        assert cache.get_or_build("rm:test", lambda: ("after", None)) == ("after", False)
