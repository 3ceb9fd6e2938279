"""CSV output for staff rosters, chosen with `?format=csv` (DRF's URL format override).

The view names its columns in `csv_columns = [(key, "表头"), …]`. Excel opens UTF-8 only with a BOM,
so one is written; cells that a spreadsheet would run as a formula (=, +, -, @) are quoted with '.
"""

import csv
import io

from rest_framework.renderers import BaseRenderer, JSONRenderer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = getattr(view, "csv_columns", None)
        rows = data if isinstance(data, list) else data.get("results", [data])
        if columns is None:
            columns = [(key, key) for key in (rows[0] if rows else {})]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([label for _, label in columns])
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key, _ in columns])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class CSVErrorsAsJSONMixin:
    """Errors stay in the JSON envelope even when CSV was asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and getattr(renderer, "format", None) == "csv":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
