import pytest

from linli.accounts.models import Role
from tests import factories
from tests.health import factories as health


@pytest.fixture
def department(community):
    return health.make_department(health.make_clinic(community, name="博爱幸福驿站智慧诊室"), name="全科")


@pytest.fixture
def doctor(department):
    return health.make_doctor(department, username="doctor_here", display_name="李医生")


@pytest.fixture
def other_doctor(department):
    """A second doctor of the same department: competes for the same consultations."""
    return health.make_doctor(department.clinic, username="doctor_clinic", display_name="王医生")


@pytest.fixture
def outside_doctor():
    return health.make_doctor(health.make_department(), username="doctor_elsewhere", display_name="赵医生")


@pytest.fixture
def neighbour(community):
    """Another verified resident of the same community."""
    user = factories.make_resident(display_name="李阿姨")
    factories.grant(user, Role.RESIDENT, community=community)
    return user


@pytest.fixture
def verified_resident(resident, community):
    factories.grant(resident, Role.RESIDENT, community=community, position="户主")
    return resident
