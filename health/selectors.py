"""Reads that need care: who may see what, and in how many queries."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from health.models import (
    Appointment,
    Clinic,
    Consultation,
    ConsultationMessage,
    Department,
    Drug,
    HealthCondition,
    InsuranceApplication,
    InsuranceApplicationHistory,
    PolicyArticle,
    PolicyRead,
    Prescription,
    PrescriptionItem,
    Slot,
    VitalAccessLog,
    VitalReading,
)
from linli.accounts.models import Membership, Role, User
from linli.regions.models import Community

# --- doctors --------------------------------------------------------------------------------


def doctor_departments(doctor: User) -> QuerySet[Department]:
    """Departments a doctor serves: those their memberships name, and every department of a named clinic.

    Lazy: used as a subquery it costs no query of its own.
    """
    memberships = Membership.objects.filter(user=doctor, role=Role.DOCTOR)
    department_ids = memberships.filter(scope_type=ContentType.objects.get_for_model(Department)).values("scope_id")
    clinic_ids = memberships.filter(scope_type=ContentType.objects.get_for_model(Clinic)).values("scope_id")
    return Department.objects.filter(Q(pk__in=Subquery(department_ids)) | Q(clinic_id__in=Subquery(clinic_ids)))


def doctors_of(department: Department) -> QuerySet[User]:
    dept_type = ContentType.objects.get_for_model(Department)
    clinic_type = ContentType.objects.get_for_model(Clinic)
    return User.objects.filter(
        Exists(
            Membership.objects.filter(user=OuterRef("pk"), role=Role.DOCTOR).filter(
                Q(scope_type=dept_type, scope_id=department.pk)
                | Q(scope_type=clinic_type, scope_id=department.clinic_id)
            )
        ),
        is_active=True,
    )


# --- catalogue ------------------------------------------------------------------------------


def departments_active() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).select_related("clinic__community")


def drugs_active() -> QuerySet[Drug]:
    return Drug.objects.filter(is_active=True)


# --- consultations --------------------------------------------------------------------------


def _consultation_base() -> QuerySet[Consultation]:
    return Consultation.objects.select_related(
        "department__clinic", "doctor", "resident", "prescription", "acted_by"
    ).prefetch_related("photos")


def consultations_of_resident(resident: User) -> QuerySet[Consultation]:
    if not resident.is_authenticated:
        return Consultation.objects.none()
    return _consultation_base().filter(resident=resident)


def consultations_for_doctor(doctor: User) -> QuerySet[Consultation]:
    """The doctor's own consultations, and the waiting ones of the departments they serve."""
    if not doctor.is_authenticated:
        return Consultation.objects.none()
    return _consultation_base().filter(
        Q(doctor=doctor)
        | Q(status=Consultation.Status.WAITING, doctor__isnull=True, department__in=doctor_departments(doctor))
    )


def consultation_messages(consultation: Consultation) -> QuerySet[ConsultationMessage]:
    return consultation.messages.select_related("sender")


def prescriptions_of_resident(resident: User) -> QuerySet[Prescription]:
    if not resident.is_authenticated:
        return Prescription.objects.none()
    return (
        Prescription.objects.filter(resident=resident)
        .select_related("doctor", "consultation__department__clinic")
        .prefetch_related(Prefetch("items", queryset=PrescriptionItem.objects.select_related("drug")))
    )


# --- appointments ---------------------------------------------------------------------------


def slots_open(*, today: date | None = None) -> QuerySet[Slot]:
    today = today or timezone.localdate()
    return Slot.objects.filter(date__gte=today, department__is_active=True).select_related(
        "department__clinic", "doctor"
    )


def appointments_of(resident: User) -> QuerySet[Appointment]:
    if not resident.is_authenticated:
        return Appointment.objects.none()
    return Appointment.objects.filter(resident=resident).select_related(
        "slot__department__clinic", "slot__doctor", "acted_by"
    )


# --- vitals ---------------------------------------------------------------------------------


def vitals_of(resident: User) -> QuerySet[VitalReading]:
    if not resident.is_authenticated:
        return VitalReading.objects.none()
    return VitalReading.objects.filter(resident=resident).select_related("device")


def access_log_of(resident: User) -> QuerySet[VitalAccessLog]:
    if not resident.is_authenticated:
        return VitalAccessLog.objects.none()
    return VitalAccessLog.objects.filter(resident=resident).select_related("viewer", "consultation")


# --- insurance ------------------------------------------------------------------------------


def resident_communities(user: User) -> QuerySet[Community]:
    memberships = Membership.objects.filter(user=user, role=Role.RESIDENT, community__isnull=False)
    return Community.objects.filter(pk__in=Subquery(memberships.values("community_id")))


def _application_base() -> QuerySet[InsuranceApplication]:
    return InsuranceApplication.objects.select_related("community", "applicant", "reviewer").prefetch_related(
        "attachments", Prefetch("history", queryset=InsuranceApplicationHistory.objects.select_related("actor"))
    )


def applications_of(applicant: User) -> QuerySet[InsuranceApplication]:
    if not applicant.is_authenticated:
        return InsuranceApplication.objects.none()
    return _application_base().filter(applicant=applicant)


def applications_for_staff(staff: User) -> QuerySet[InsuranceApplication]:
    if not staff.is_authenticated:
        return InsuranceApplication.objects.none()
    staff_communities = Membership.objects.filter(
        user=staff, role=Role.COMMUNITY_STAFF, community__isnull=False
    ).values("community_id")
    return _application_base().filter(community_id__in=Subquery(staff_communities))


# --- policies -------------------------------------------------------------------------------


def policies_for_resident(user: User, *, today: date | None = None) -> QuerySet[PolicyArticle]:
    """Published articles whose audience includes `user`: community, age and condition all match."""
    if not user.is_authenticated:
        return PolicyArticle.objects.none()
    today = today or timezone.localdate()
    communities = Membership.objects.filter(user=user, role=Role.RESIDENT, community__isnull=False).values(
        "community_id"
    )
    conditions = HealthCondition.objects.filter(profile__user=user).values("condition")
    audience = Q(community__isnull=True) | Q(community_id__in=Subquery(communities))
    audience &= Q(condition="") | Q(condition__in=Subquery(conditions))
    age = user.age_on(today)
    if age is None:
        audience &= Q(min_age__isnull=True, max_age__isnull=True)
    else:
        audience &= Q(min_age__isnull=True) | Q(min_age__lte=age)
        audience &= Q(max_age__isnull=True) | Q(max_age__gte=age)
    return (
        PolicyArticle.objects.filter(audience, status=PolicyArticle.Status.PUBLISHED)
        .select_related("community")
        .annotate(is_read=Exists(PolicyRead.objects.filter(article=OuterRef("pk"), reader=user)))
    )


def policies_for_staff(staff: User) -> QuerySet[PolicyArticle]:
    if not staff.is_authenticated:
        return PolicyArticle.objects.none()
    staff_communities = Membership.objects.filter(
        user=staff, role=Role.COMMUNITY_STAFF, community__isnull=False
    ).values("community_id")
    return (
        PolicyArticle.objects.filter(community_id__in=Subquery(staff_communities))
        .select_related("community", "author")
        .annotate(read_count=Count("reads"))
        .order_by("-created_at", "-id")  # Meta.ordering is not applied to GROUP BY queries
    )


def policy_audience(article: PolicyArticle, *, today: date | None = None) -> QuerySet[User]:
    """Every resident the article is meant for (the targeted push goes to them)."""
    today = today or timezone.localdate()
    users = User.objects.filter(is_active=True, memberships__role=Role.RESIDENT, memberships__community__isnull=False)
    if article.community_id:
        users = users.filter(memberships__community_id=article.community_id)
    if article.condition:
        users = users.filter(
            Exists(HealthCondition.objects.filter(profile__user=OuterRef("pk"), condition=article.condition))
        )
    if article.min_age is not None:
        # Born on or before today minus min_age years.
        users = users.filter(birth_date__lte=_years_before(today, article.min_age))
    if article.max_age is not None:
        # Not yet max_age + 1: born after today minus (max_age + 1) years.
        users = users.filter(birth_date__gt=_years_before(today, article.max_age + 1))
    return users.distinct()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def vitals_trends(readings: QuerySet[VitalReading]) -> list[dict]:
    """Per type: count, abnormal count, first/last, mean/min/max, and the latest reading. Two queries."""
    from django.db.models import Avg, Max, Min

    rows = list(
        readings.order_by()
        .values("type")
        .annotate(
            count=Count("pk"),
            abnormal_count=Count("pk", filter=~Q(interpretation="N")),
            first_at=Min("measured_at"),
            last_at=Max("measured_at"),
            average=Avg("value"),
            minimum=Min("value"),
            maximum=Max("value"),
            average_systolic=Avg("systolic"),
            average_diastolic=Avg("diastolic"),
            maximum_systolic=Max("systolic"),
            maximum_diastolic=Max("diastolic"),
        )
        .order_by("type")
    )
    if not rows:
        return []
    latest_filter = Q()
    for row in rows:
        latest_filter |= Q(type=row["type"], measured_at=row["last_at"])
    latest = {}
    for reading in readings.filter(latest_filter).order_by("type", "-measured_at", "-id"):
        latest.setdefault(reading.type, reading)
    for row in rows:
        row["latest"] = latest[row["type"]]
        for key in ("average", "minimum", "maximum", "average_systolic", "average_diastolic"):
            if row[key] is not None:
                row[key] = round(float(row[key]), 1)
    return rows


# --- the staff console's dashboard (linli/console) ------------------------------------------


def policy_pushes_by_day(*, community_ids, start, end) -> QuerySet:
    """到家推: articles pushed each day in [start, end) to these communities (or to every community)."""
    return (
        PolicyArticle.objects.filter(
            Q(community_id__in=community_ids) | Q(community__isnull=True),
            pushed_at__gte=start,
            pushed_at__lt=end,
        )
        .annotate(day=TruncDate("pushed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )


def insurance_applications_by_day(*, community_ids, start, end) -> QuerySet:
    """到家办: applications filed each day in [start, end), and how many of them were approved."""
    return (
        InsuranceApplication.objects.filter(community_id__in=community_ids, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(filed=Count("pk"), approved=Count("pk", filter=Q(status=InsuranceApplication.Status.APPROVED)))
        .order_by("day")
    )


def insurance_queue(*, community_ids) -> dict[str, int]:
    """Applications waiting now: for staff to review, and for the applicant to complete. One query."""
    s = InsuranceApplication.Status
    return InsuranceApplication.objects.filter(community_id__in=community_ids).aggregate(
        submitted=Count("pk", filter=Q(status=s.SUBMITTED)),
        needs_info=Count("pk", filter=Q(status=s.NEEDS_INFO)),
    )
