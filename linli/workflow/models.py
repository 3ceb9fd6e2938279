from django.conf import settings
from django.db import models
from django.utils import timezone


class StatusChange(models.Model):
    """One step in an object's history: who did what, when, from which status to which.

    A concrete subclass adds the foreign key to its object and names it in `subject_field`;
    it may narrow `action`, `from_status` and `to_status` with `choices`.
    """

    subject_field = "subject"

    action = models.CharField("操作", max_length=24, blank=True)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24)
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
        return f"{label}: {self.from_status or '—'} → {self.to_status}"

    @property
    def subject_id(self):
        return getattr(self, f"{self.subject_field}_id")
