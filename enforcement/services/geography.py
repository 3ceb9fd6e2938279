"""Boundaries: saving one (validated, bbox cached) and importing a GeoJSON FeatureCollection in the
admin, all or nothing.

Feature properties name what each polygon outlines:
    township  {"street": "<Street code or name>"}
    village   {"street": "<Street code or name>", "name": "南湖村"}
    squad     {"team": "<Team code>"}
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from enforcement import geo
from enforcement.models import Boundary, Team
from enforcement.services.catalogue import ImportFailed
from linli.regions.models import Street

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 500


@transaction.atomic
def boundary_save(*, kind: str, street: Street, geometry, name: str = "", team: Team | None = None) -> Boundary:
    """Create or replace the boundary of a township, a village (by name) or a squad."""
    cleaned = geo.clean_geometry(geometry)
    min_lat, max_lat, min_lng, max_lng = geo.bbox(cleaned)
    values = {
        "geometry": cleaned,
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lng": min_lng,
        "max_lng": max_lng,
    }
    if kind == Boundary.Kind.TOWNSHIP:
        key = {"kind": kind, "street": street}
        values["name"] = name or street.name
    elif kind == Boundary.Kind.VILLAGE:
        key = {"kind": kind, "street": street, "name": name}
    else:
        key = {"kind": kind, "team": team}
        values.update(street=street, name=name or team.name)
    boundary, _ = Boundary.objects.update_or_create(**key, defaults=values)
    return boundary


@dataclass
class ImportResult:
    saved: int


class BoundaryImportFailed(ImportFailed):
    default_message = "边界导入失败"


def _failed(errors: list[str]) -> BoundaryImportFailed:
    return BoundaryImportFailed("；".join(errors[:20]), extra={"errors": errors})


def _street(ref) -> Street | None:
    if not isinstance(ref, str) or not ref:
        return None
    return Street.objects.filter(Q(code=ref) | Q(name=ref)).order_by("id").first()


def boundaries_import(*, kind: str, content: bytes) -> ImportResult:
    """Import a FeatureCollection of `kind` boundaries. Any bad feature → ImportFailed listing every
    problem (第 n 个要素：…), and nothing is written."""
    if kind not in Boundary.Kind.values:
        raise _failed(["类型无效"])
    if len(content) > MAX_IMPORT_BYTES:
        raise _failed([f"文件过大（上限 {MAX_IMPORT_BYTES // 1024 // 1024} MB）"])
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _failed(["不是有效的 JSON（UTF-8）文件"]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _failed(["须为 GeoJSON FeatureCollection"])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _failed(["FeatureCollection 中没有要素（features）"])
    if len(features) > MAX_FEATURES:
        raise _failed([f"要素过多（上限 {MAX_FEATURES}）"])
    errors, rows = [], []
    for n, feature in enumerate(features, 1):
        where = f"第 {n} 个要素"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"{where}：不是 Feature")
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        try:
            geometry = geo.clean_geometry(feature.get("geometry"))
        except geo.GeometryError as exc:
            errors.append(f"{where}：{exc}")
            continue
        team, street, name = None, None, str(props.get("name") or "")[:60]
        if kind == Boundary.Kind.SQUAD:
            team = Team.objects.filter(code=str(props.get("team") or ""), kind=Team.Kind.TOWNSHIP_TEAM).first()
            if team is None:
                errors.append(f"{where}：properties.team 须为乡镇执法中队的编码")
                continue
            street = team.street
        else:
            street = _street(props.get("street"))
            if street is None:
                errors.append(f"{where}：properties.street 找不到对应的乡镇（街道）")
                continue
            if kind == Boundary.Kind.VILLAGE and not name:
                errors.append(f"{where}：村（社区）须有 properties.name")
                continue
        rows.append({"kind": kind, "street": street, "team": team, "name": name, "geometry": geometry})
    if errors:
        raise _failed(errors)
    with transaction.atomic():
        for row in rows:
            boundary_save(**row)
    return ImportResult(saved=len(rows))
