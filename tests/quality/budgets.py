"""Query-budget registrations for the regions endpoints (communities), which have no budgets module of their own.

See tests/quality/registry.py for the format.
"""

from tests import factories


def make_communities(persona, n):
    for _ in range(n):
        factories.make_community()


def community_of(persona):
    return {"id": persona.community.pk}


LIST_DATA = {
    "/api/v1/communities/": ("anonymous", make_communities),
}

DETAIL_BUDGETS = {
    # 1: the community with its street joined (anonymous: no token user to load)
    "/api/v1/communities/{id}/": ("anonymous", community_of, 1),
}
