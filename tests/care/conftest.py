import pytest

from care.models import ProviderPosition
from tests.care import factories as cf


@pytest.fixture
def provider(community):
    return cf.make_provider(community, name="斗潭社区居家养老服务中心")


@pytest.fixture
def manager(provider):
    return cf.make_member(provider, ProviderPosition.MANAGER, username="care_manager", display_name="周主任")


@pytest.fixture
def worker(provider):
    return cf.make_member(provider, username="care_worker", display_name="助老员小吴")


@pytest.fixture
def elder(community):
    return cf.make_elder(community, display_name="陈奶奶")


@pytest.fixture
def bathing(provider, community):
    return cf.make_service(provider, community, name="上门助浴", price_fen=8000, duration_minutes=60)
