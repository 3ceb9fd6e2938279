"""Migration 0003: an avatar_url that is the user's own upload becomes the avatar; any other goes."""

import logging

import pytest

from tests import factories
from tests.support.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)


def test_own_upload_urls_become_the_avatar_and_foreign_ones_go(to_latest, caplog):
    owner, other = factories.make_resident(), factories.make_resident()
    mine, theirs = factories.make_upload(owner), factories.make_upload(other)
    stranger = factories.make_resident()
    old = migrate([("accounts", "0002_token_version_and_revoked_families")])
    User = old.get_model("accounts", "User")
    User.objects.filter(pk=owner.pk).update(avatar_url=f"http://testserver/media/{mine.file.name}")
    User.objects.filter(pk=other.pk).update(avatar_url=f"/media/{mine.file.name}")  # someone else's upload
    User.objects.filter(pk=stranger.pk).update(avatar_url="http://169.254.169.254/latest/meta-data/")

    with caplog.at_level(logging.WARNING, logger="linli.accounts.migrations"):
        new = to_latest()

    avatars = dict(new.get_model("accounts", "User").objects.values_list("pk", "avatar_id"))
    assert (avatars[owner.pk], avatars[other.pk], avatars[stranger.pk]) == (mine.pk, None, None)
    assert theirs.pk not in avatars.values()
    assert "dropped 2 avatar URL(s)" in caplog.text
