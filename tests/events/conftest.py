import pytest

from tests.events.factories import make_venue, make_verified


@pytest.fixture
def verified(community):
    """A verified resident of 斗潭 (born 1950, so over 60)."""
    return make_verified(community, display_name="李阿姨", phone="13812345678")


@pytest.fixture
def venue(community):
    return make_venue(community, name="幸福学堂")
