import pytest

from tests import factories
from tests.residents.factories import make_verified_resident


@pytest.fixture
def elder(community):
    """王奶奶: a verified resident of the community (a household, so she may file work orders)."""
    user, _room = make_verified_resident(community, display_name="王奶奶")
    return user


@pytest.fixture
def son(db):
    return factories.make_resident(display_name="王小明")


@pytest.fixture
def stranger(db):
    return factories.make_resident(display_name="路人")
