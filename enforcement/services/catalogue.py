"""The empowerment lists (赋权清单): CSV import, all rows or none."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from enforcement.models import Empowerment, Matter
from linli.api.errors import DomainError
from linli.regions.models import Street

CSV_COLUMNS = ["street", "matter", "since", "until", "document"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFailed(DomainError):
    code = "import_failed"
    default_message = "赋权清单导入失败"


def _parse_date(raw: str, line: int, name: str, errors: list[str]) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(f"第 {line} 行：{name} 不是 YYYY-MM-DD 日期：{raw}")
        return None


@transaction.atomic
def empowerments_import(*, text: str) -> ImportResult:
    """Import `street,matter,since,until,document` rows (street by code or name, matter by code).

    Idempotent: a row for the same street, matter and since-date updates that entry. Any bad row
    rejects the whole file (ImportFailed lists every problem with its line number)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("street", "matter", "since") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFailed(f"缺少列：{', '.join(missing)}（需要 {','.join(CSV_COLUMNS)}）")
    streets = {s.code: s for s in Street.objects.all()} | {s.name: s for s in Street.objects.all()}
    matters = {m.code: m for m in Matter.objects.all()}
    result, rows = ImportResult(), []
    for line, row in enumerate(reader, start=2):
        street = streets.get((row.get("street") or "").strip())
        matter = matters.get((row.get("matter") or "").strip())
        if street is None:
            result.errors.append(f"第 {line} 行：未知乡镇（街道）{row.get('street')!r}")
        if matter is None:
            result.errors.append(f"第 {line} 行：未知事项编码 {row.get('matter')!r}")
        since = _parse_date(row.get("since"), line, "since", result.errors)
        if since is None and not (row.get("since") or "").strip():
            result.errors.append(f"第 {line} 行：缺少赋权日期")
        until = _parse_date(row.get("until"), line, "until", result.errors)
        if since and until and until <= since:
            result.errors.append(f"第 {line} 行：收回日期须晚于赋权日期")
        rows.append((street, matter, since, until, (row.get("document") or "").strip()[:120]))
    if result.errors:
        raise ImportFailed("；".join(result.errors[:20]), extra={"errors": result.errors})
    for street, matter, since, until, document in rows:
        entry, created = Empowerment.objects.get_or_create(
            street=street, matter=matter, since=since, defaults={"until": until, "document": document}
        )
        if created:
            result.created += 1
        elif (entry.until, entry.document) != (until, document):
            entry.until, entry.document = until, document
            entry.save(update_fields=["until", "document"])
            result.updated += 1
        else:
            result.unchanged += 1
    return result
