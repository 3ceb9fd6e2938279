from django.conf import settings
from django.db import models
from django.utils import timezone


class _ChoicesOfSubclass(models.CharField):
    """A CharField whose choices are the concrete model's class attribute `choices_from` (its `Action`
    or `Status`), so every history model gets labelled fields (`get_action_display()`) without
    declaring them again. Migrations see a plain CharField with those choices."""

    def __init__(self, *args, choices_from: str = "", **kwargs):
        self.choices_from = choices_from
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        source = getattr(cls, self.choices_from, None)
        if not cls._meta.abstract and source is not None:
            self.choices = list(source.choices)
        super().contribute_to_class(cls, name, *args, **kwargs)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class StatusChange(models.Model):
    """One step in an object's history: who did what, when, from which status to which.

    A concrete subclass adds the foreign key to its object, names it in `subject_field`, and sets
    `Action` and `Status` (its object's TextChoices), which label `action`, `from_status` and
    `to_status`:

        class VerificationHistory(StatusChange):
            Action, Status = Verification.Action, Verification.Status
            subject_field = "verification"
            verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="history")
    """

    subject_field = "subject"

    action = _ChoicesOfSubclass("操作", max_length=24, choices_from="Action")
    from_status = _ChoicesOfSubclass("原状态", max_length=24, blank=True, choices_from="Status")
    to_status = _ChoicesOfSubclass("新状态", max_length=24, choices_from="Status")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
        help_text="空表示系统",
    )
    note = models.CharField("备注", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        label = self.get_action_display() if hasattr(self, "get_action_display") else self.action
        return f"#{self.subject_id} {label}"

    @property
    def subject_id(self):
        return getattr(self, f"{self.subject_field}_id")
