from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a money-moving request sent with an `Idempotency-Key` header.

    The row is inserted in the same transaction as the request's own writes, so a key is
    recorded exactly when its effects are; a concurrent request with the same key waits on the
    unique constraint and then replays.
    """

    principal = models.CharField("调用方", max_length=64, help_text="user:<id> or device:<id>")
    key = models.CharField("幂等键", max_length=128)
    scope = models.CharField("接口", max_length=255, help_text="HTTP method and path")
    request_hash = models.CharField("请求摘要", max_length=64)
    status_code = models.PositiveSmallIntegerField("响应状态码")
    response_body = models.JSONField("响应内容")
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等记录"
        verbose_name_plural = "幂等记录"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_unique_principal_key"),
        ]

    def __str__(self):
        return f"{self.principal} {self.key}"
