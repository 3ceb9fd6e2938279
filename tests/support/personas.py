"""Named personas for the whole-API quality gates (fuzzing, query budgets).

    persona = make_persona("resident", community=some_community)
    persona.user, persona.community, persona.headers, persona.client()

`anonymous`, `resident` (WeChat user with a resident role in the community) and `staff`
(community staff of it) are built in; an app's `tests/<app>/budgets.py` may add more in a
`PERSONAS = {"merchant": make_merchant}` dict, each `fn(community) -> Persona`.
"""

from dataclasses import dataclass

from rest_framework.test import APIClient

from linli.accounts.models import Role, User
from linli.accounts.tokens import RefreshToken
from linli.regions.models import Community
from tests import factories


@dataclass
class Persona:
    name: str
    user: User | None
    community: Community

    @property
    def headers(self) -> dict[str, str]:
        if self.user is None:
            return {}
        return {"Authorization": f"Bearer {RefreshToken.for_user(self.user).access_token}"}

    def client(self) -> APIClient:
        client = APIClient()
        if self.user is not None:
            client.credentials(HTTP_AUTHORIZATION=self.headers["Authorization"])
        return client


def anonymous(community: Community) -> Persona:
    return Persona("anonymous", None, community)


def resident(community: Community) -> Persona:
    user = factories.make_resident()
    factories.grant(user, Role.RESIDENT, community=community)
    return Persona("resident", user, community)


def staff(community: Community) -> Persona:
    user = factories.make_user(is_staff=True)
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    return Persona("staff", user, community)


BUILT_IN = {"anonymous": anonymous, "resident": resident, "staff": staff}


def make_persona(name: str, community: Community | None = None) -> Persona:
    from tests.quality.registry import registry

    makers = {**BUILT_IN, **registry().personas}
    if name not in makers:
        raise KeyError(f"unknown persona {name!r}: built in are {sorted(BUILT_IN)}; apps add theirs in budgets.py")
    return makers[name](community or factories.make_community())
