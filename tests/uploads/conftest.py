import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploads made by the gates never land in var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")
