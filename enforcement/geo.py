"""Plain geometry helpers (no models): validating GeoJSON polygons, their bounding box, and the exact
point-in-polygon test with shapely. Coordinates are GeoJSON's [lng, lat] (WGS-84)."""

import math

from shapely.geometry import Point, shape
from shapely.validation import explain_validity

MAX_VERTICES = 20_000  # per geometry: far more than a township outline needs, far less than a DoS


class GeometryError(ValueError):
    """The geometry is not a usable Polygon/MultiPolygon; the message is Chinese, for the user."""


def _check_ring(ring, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(f"{where}：环至少需要 4 个坐标点（首尾相同）")
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
            or not all(math.isfinite(v) for v in position[:2])
        ):
            raise GeometryError(f"{where}：坐标须为 [经度, 纬度] 数字")
        lng, lat = position[0], position[1]
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise GeometryError(f"{where}：坐标超出范围（[经度, 纬度]，经度 ±180，纬度 ±90）")
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise GeometryError(f"{where}：环未闭合（首尾坐标须相同）")
    return len(ring)


def clean_geometry(geometry) -> dict:
    """The geometry as a plain GeoJSON dict after checking type, rings (closed, ≥ 4 points, numbers in
    range), size and validity (no self-intersection); raises GeometryError otherwise."""
    if not isinstance(geometry, dict):
        raise GeometryError("几何对象须为 GeoJSON 对象")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"只接受 Polygon 或 MultiPolygon，收到：{str(kind)[:30]}")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError("coordinates 不能为空")
    vertices = 0
    for p, rings in enumerate(polygons, 1):
        if not isinstance(rings, list) or not rings:
            raise GeometryError(f"第 {p} 个多边形没有坐标环")
        for r, ring in enumerate(rings, 1):
            vertices += _check_ring(ring, f"第 {p} 个多边形第 {r} 个环")
            if vertices > MAX_VERTICES:
                raise GeometryError(f"坐标点过多（上限 {MAX_VERTICES}）")
    cleaned = {"type": kind, "coordinates": coordinates}
    parsed = shape(cleaned)
    if not parsed.is_valid:
        raise GeometryError(f"多边形无效：{explain_validity(parsed)}")
    if parsed.area == 0:
        raise GeometryError("多边形面积为零")
    return cleaned


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a cleaned geometry."""
    min_lng, min_lat, max_lng, max_lat = shape(geometry).bounds
    return min_lat, max_lat, min_lng, max_lng


def contains(geometry: dict, lat, lng) -> bool:
    """Whether the point lies inside the polygon (or on its edge: a point on a shared border belongs
    to both, and the caller's order decides)."""
    return shape(geometry).intersects(Point(float(lng), float(lat)))
