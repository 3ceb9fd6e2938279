"""One export for every staff changelist: what the staff member sees, as an Excel workbook or a CSV.

    class WorkOrderAdmin(CommunityScopedAdmin):        # CommunityScopedAdmin and TeamScopedAdmin mix it in
        list_display = (...)                           # the columns, unless the admin names
        export_fields = (...)                          # others for the export

It is offered twice: "导出 Excel" / "导出 CSV" buttons above the changelist export every row of the
current view (filters, search, date drill-down and ordering kept, scoped by `get_queryset`, no
paging), and the actions "导出所选为 Excel / CSV" export the ticked rows (or all, with "select all").

The file is for people, not machines: Chinese headers (verbose_name / the column's description),
choice labels ("已提交"), 是/否, related objects by name, times in Asia/Shanghai. Text that a
spreadsheet would run as a formula (=, +, -, @ …) is prefixed with ' so it stays text.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "xlsx"
CSV = "csv"
FORMATS = {XLSX: "Excel", CSV: "CSV"}
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
# A cell starting with one of these is a formula to Excel, WPS and LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "是", "否"

Cell = str | int | float | Decimal | datetime.datetime | datetime.date


# --- values -----------------------------------------------------------------------------------------


def export_columns(modeladmin, request) -> list[tuple[str, str]]:
    """(name, Chinese header) per column: the admin's `export_fields`, else its list_display."""
    names = getattr(modeladmin, "export_fields", None) or modeladmin.get_list_display(request)
    model = modeladmin.model
    return [(name, str(label_for_field(name, model, modeladmin))) for name in names if name != "action_checkbox"]


def cell_value(modeladmin, obj: Model, name: str) -> Cell:
    """The column's value as a person reads it; datetimes are local (Asia/Shanghai) and naive."""
    field, attr, value = lookup_field(name, obj, modeladmin)
    if field is not None:
        if isinstance(field, models.BooleanField):
            value = _yes_no(value)
        elif field.flatchoices and not isinstance(value, (dict, list)):
            value = dict(field.flatchoices).get(value, value)
    elif getattr(attr, "boolean", False):
        value = _yes_no(value)
    return _plain(value)


def _yes_no(value) -> str:
    return "" if value is None else (YES if value else NO)


def _plain(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, SafeData):  # a column that renders HTML (a link, a badge): its text
        return neutralise(strip_tags(str(value)))
    if isinstance(value, (Model, Promise, str)):
        return neutralise(str(value))
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        return neutralise("、".join(str(item) for item in value))
    return neutralise(str(value))


def neutralise(text: str) -> str:
    """Keep text text: no formula, no control character a workbook cannot hold."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def export_rows(modeladmin, request, queryset) -> tuple[list[str], list[list[Cell]]]:
    columns = export_columns(modeladmin, request)
    rows = [[cell_value(modeladmin, obj, name) for name, _label in columns] for obj in queryset]
    return [label for _name, label in columns], rows


# --- files ------------------------------------------------------------------------------------------


def _as_text(value: Cell) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return str(value)


def write_csv(headers: list[str], rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads a CSV as UTF-8 (not GBK) only with a BOM
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_as_text(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(headers: list[str], rows: list[list[Cell]], *, title: str) -> bytes:
    """Real dates and numbers (sortable, filterable), shown as 2026-12-06 09:30:00; a bold frozen header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1")
    for index, header in enumerate(headers, start=1):
        width = max([_display_width(header), *(_display_width(_as_text(row[index - 1])) for row in rows[:500])])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(sheet, value: Cell, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever openpyxl guesses
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def _display_width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)  # CJK characters are two columns wide


def content_disposition(filename: str, fallback: str) -> str:
    """RFC 6266: an ASCII name for old clients, the real (Chinese) one as filename*."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def export_response(modeladmin, request, queryset, fmt: str) -> HttpResponse:
    headers, rows = export_rows(modeladmin, request, queryset)
    opts = modeladmin.model._meta
    title = str(opts.verbose_name_plural)
    body = write_xlsx(headers, rows, title=title) if fmt == XLSX else write_csv(headers, rows)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        f"{title}-{stamp}.{fmt}", f"{opts.app_label}-{opts.model_name}-{stamp}.{fmt}"
    )
    response["Cache-Control"] = "no-store"  # residents' names and phone numbers: not for shared caches
    return response


# --- the admin side ---------------------------------------------------------------------------------


class ExportMixin:
    """Mix into a ModelAdmin: the export buttons, their view, and the two export actions."""

    export_fields: tuple[str, ...] | None = None
    export_actions = ("export_xlsx", "export_csv")

    @admin.action(description="导出所选为 Excel", permissions=["view"])
    def export_xlsx(self, request, queryset):
        return export_response(self, request, queryset, XLSX)

    @admin.action(description="导出所选为 CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return export_response(self, request, queryset, CSV)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET or self.actions is None:
            return actions
        exports = {}
        if self.has_view_or_change_permission(request):
            for name in self.export_actions:
                exports[name] = self.get_action(name)
        return {**exports, **{name: action for name, action in actions.items() if name not in exports}}

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        export = [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=name)]
        return export + super().get_urls()

    def export_view(self, request, fmt: str):
        """The whole changelist as it is shown (filters, search, ordering; every page)."""
        if fmt not in FORMATS:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(f"../../?{ERROR_FLAG}=1")
        return export_response(self, request, changelist.get_queryset(request), fmt)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_formats": list(FORMATS.items())}
        return super().changelist_view(request, extra_context)
