import pytest

from tests.devices.factories import client_for_device, make_device


@pytest.fixture
def kiosk(community):
    """(device, secret): a health kiosk of 斗潭社区."""
    return make_device(community)


@pytest.fixture
def device_api(kiosk):
    device, secret = kiosk
    return client_for_device(device, secret)
