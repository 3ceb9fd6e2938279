import pytest

from tests.residents import factories as rf


@pytest.fixture
def household(community):
    """(resident, room): a verified owner of a room in 斗潭."""
    return rf.make_verified_resident(community, display_name="李阿姨", phone="13800001111")


@pytest.fixture
def owner(household):
    return household[0]


@pytest.fixture
def room(household):
    return household[1]


@pytest.fixture
def category(db):
    return rf.make_category(name="水电维修", response_hours=2, resolution_hours=24)


@pytest.fixture
def manager(community):
    return rf.make_property_manager(community, username="property_here", display_name="物业老刘")


@pytest.fixture
def handler(community):
    return rf.make_property_manager(community, username="handler_here", display_name="维修师傅小王")


@pytest.fixture
def other_manager(other_community):
    return rf.make_property_manager(other_community, username="property_there")
