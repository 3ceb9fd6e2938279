import pytest

from tests import factories
from tests.enforcement.factories import make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def reporter(db):
    return factories.make_resident(display_name="王阿姨")


@pytest.fixture
def neighbour(db):
    return factories.make_resident(display_name="李师傅")
