"""到家讲 / 到家推: staff write and publish policy articles; residents read them; the audience gets a push."""

from django.db import transaction
from django.utils import timezone

from health.models import PolicyArticle, PolicyRead
from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.api.errors import DomainError, InvalidTransition
from linli.notifications.services import notify
from linli.regions.models import Community


@transaction.atomic
def policy_create(*, author: User, community: Community, title: str, body: str, summary: str = "", **audience):
    """A draft for one of the author's communities. `audience`: min_age, max_age, condition."""
    if community.pk not in community_ids_for(author, Role.COMMUNITY_STAFF):
        raise DomainError("只能为你负责的社区发布", code="validation_error", fields={"community": ["不是你负责的社区"]})
    min_age, max_age = audience.get("min_age"), audience.get("max_age")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError("年龄范围有误", code="validation_error", fields={"max_age": ["不能小于最小年龄"]})
    return PolicyArticle.objects.create(
        author=author, community=community, title=title, body=body, summary=summary, **audience
    )


@transaction.atomic
def policy_publish(*, article: PolicyArticle, actor: User | None = None) -> PolicyArticle:
    """Publish a draft; its audience is pushed after commit (health.tasks.push_policy)."""
    now = timezone.now()
    updated = PolicyArticle.objects.filter(pk=article.pk, status=PolicyArticle.Status.DRAFT).update(
        status=PolicyArticle.Status.PUBLISHED, published_at=now, updated_at=now
    )
    if not updated:
        raise InvalidTransition("文章已发布")
    from health.tasks import push_policy

    transaction.on_commit(lambda: push_policy.delay(article.pk))
    article.refresh_from_db()
    return article


def policy_push(*, article_id: int) -> int:
    """Tell the article's audience about it, once (dedupe key per article). Returns how many were told."""
    from health.selectors import policy_audience

    with transaction.atomic():
        article = (
            PolicyArticle.objects.select_for_update()
            .filter(pk=article_id, status=PolicyArticle.Status.PUBLISHED, pushed_at__isnull=True)
            .first()
        )
        if article is None:
            return 0
        told = notify(
            policy_audience(article),
            "health.policy.published",
            article.title,
            article.summary or article.body[:60],
            link=f"/pages/health/policy?id={article.pk}",
            data={"policy": article.pk},
            dedupe_key=f"health.policy:{article.pk}",
        )
        article.pushed_at = timezone.now()
        article.save(update_fields=["pushed_at"])
        return told


def policy_mark_read(*, article: PolicyArticle, reader: User) -> bool:
    """Count a read once per reader. True when this was the first read."""
    _, created = PolicyRead.objects.get_or_create(article=article, reader=reader)
    return created
