import pytest

from tests.property import factories as pf


@pytest.fixture
def estate(community):
    return pf.make_estate(community, name="春江月小区")


@pytest.fixture
def room(estate):
    return pf.make_room(estate, number="502", area="89.37")


@pytest.fixture
def owner(room):
    return pf.make_household(room, display_name="张大爷")


@pytest.fixture
def manager(community):
    return pf.make_manager(community, username="property_here")


@pytest.fixture
def other_estate(other_community):
    return pf.make_estate(other_community, name="回龙小区")


@pytest.fixture
def other_manager(other_community):
    return pf.make_manager(other_community, username="property_there")
