"""养老服务补贴: eligibility, the monthly grant, spending and giving back, expiry — all on the append-only
ledger, each entry once per idempotency key, the balance kept on the account under its row lock."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from care import conf, selectors
from care.models import SubsidyAccount, SubsidyEntry
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError, field_error
from linli.regions.models import Community

Kind = SubsidyEntry.Kind


class SubsidyInsufficient(ConflictError):
    code = "subsidy_insufficient"
    default_message = "养老补贴余额不足"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def lock_account(pk: int) -> SubsidyAccount:
    return SubsidyAccount.objects.select_for_update().get(pk=pk)


def entry_write(
    account: SubsidyAccount,
    *,
    kind: str,
    amount_fen: int,
    key: str,
    order=None,
    month: date | None = None,
    expires_on: date | None = None,
    note: str = "",
) -> SubsidyEntry | None:
    """Append one entry to the ledger of `account`, which the caller locked (`lock_account`) in this
    transaction. A key already written is skipped (returns None): asking twice changes nothing."""
    if account.entries.filter(idempotency_key=key).exists():
        return None
    balance = account.balance_fen + amount_fen
    if balance < 0:
        raise SubsidyInsufficient()
    try:
        with transaction.atomic():  # a savepoint: the unique constraints are the backstop
            entry = SubsidyEntry.objects.create(
                account=account,
                kind=kind,
                amount_fen=amount_fen,
                balance_after_fen=balance,
                idempotency_key=key,
                order=order,
                month=month,
                expires_on=expires_on,
                note=note[:200],
            )
    except IntegrityError:
        return None
    account.balance_fen = balance
    account.save(update_fields=["balance_fen", "updated_at"])
    return entry


@transaction.atomic
def subsidy_account_set(
    *,
    by: User,
    elder: User,
    community: Community,
    monthly_amount_fen: int,
    is_eligible: bool = True,
    note: str = "",
) -> SubsidyAccount:
    """Staff of the elder's community mark them eligible (or not) and set the monthly amount."""
    if not (by.is_superuser or community.pk in selectors.staff_community_ids(by)):
        raise ForbiddenError("只有本社区工作人员可以认定养老补贴")
    if selectors.home_of(elder, community.pk) is None:
        raise field_error("elder", "该老人不是本社区的认证住户")
    account, created = SubsidyAccount.objects.select_for_update().get_or_create(
        elder=elder,
        defaults={
            "community": community,
            "monthly_amount_fen": monthly_amount_fen,
            "is_eligible": is_eligible,
            "note": note,
            "approved_by": by,
        },
    )
    if not created:
        moved_from_elsewhere = account.community_id != community.pk and not by.is_superuser
        if moved_from_elsewhere and account.community_id not in selectors.staff_community_ids(by):
            raise ForbiddenError("该老人的补贴由其他社区认定")
        account.community = community
        account.monthly_amount_fen = monthly_amount_fen
        account.is_eligible = is_eligible
        account.note = note
        account.approved_by = by
        account.save()
    return account


@transaction.atomic
def subsidy_grant(*, account: SubsidyAccount, month: date) -> SubsidyEntry | None:
    """The allowance of `month` for one account: once per (account, month), only while eligible."""
    account = lock_account(account.pk)
    month = month_start(month)
    if not account.is_eligible or account.monthly_amount_fen <= 0:
        return None
    return entry_write(
        account,
        kind=Kind.GRANT,
        amount_fen=account.monthly_amount_fen,
        key=f"grant:{month:%Y-%m}",
        month=month,
        expires_on=add_months(month, conf.subsidy_expiry_months()),
        note=f"{month:%Y年%m月}养老服务补贴",
    )


def subsidies_grant_monthly(*, today: date | None = None) -> int:
    """Beat: this month's allowance for every eligible account that has not had it yet, each in its own
    transaction (re-locked and re-checked). Returns how many grants were written."""
    month = month_start(today or timezone.localdate())
    due = (
        SubsidyAccount.objects.filter(is_eligible=True, monthly_amount_fen__gt=0)
        .exclude(entries__kind=Kind.GRANT, entries__month=month)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(subsidy_grant(account=SubsidyAccount(pk=pk), month=month) is not None for pk in list(due))


@transaction.atomic
def subsidy_expire(*, account: SubsidyAccount, today: date | None = None) -> SubsidyEntry | None:
    """Clear what is left of grants past their expiry. Allowance is spent first granted, first spent, so
    the balance beyond the grants still running is what remains of expired ones."""
    today = today or timezone.localdate()
    account = lock_account(account.pk)
    grants = list(account.entries.filter(kind=Kind.GRANT).values_list("month", "expires_on", "amount_fen"))
    expired = [month for month, expires_on, _ in grants if expires_on and expires_on <= today]
    if not expired:
        return None
    running = sum(amount for _, expires_on, amount in grants if not expires_on or expires_on > today)
    excess = account.balance_fen - running
    if excess <= 0:
        return None
    newest = max(expired)
    return entry_write(
        account,
        kind=Kind.EXPIRE,
        amount_fen=-excess,
        key=f"expire:{newest:%Y-%m}",
        note=f"{newest:%Y年%m月}及以前的补贴逾期未用，清零",
    )


def subsidies_expire(*, today: date | None = None) -> int:
    """Beat: expire unspent allowance on every account with a balance (each in its own transaction)."""
    today = today or timezone.localdate()
    ids = list(SubsidyAccount.objects.filter(balance_fen__gt=0).order_by("pk").values_list("pk", flat=True))
    return sum(subsidy_expire(account=SubsidyAccount(pk=pk), today=today) is not None for pk in ids)
