"""Open311 GeoReport v2 output: JSON, and XML built with the standard library (xml.etree).

The XML root and item element names come from the view (`xml_root`, `xml_item`):
services/service, service_requests/request, errors/error — as in the GeoReport v2 examples.
"""

import json
from xml.etree import ElementTree

from rest_framework import renderers


class Open311JSONRenderer(renderers.JSONRenderer):
    format = "json"
    media_type = "application/json"
    charset = "utf-8"
    ensure_ascii = False


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_xml(items, root: str, item: str) -> bytes:
    top = ElementTree.Element(root)
    for entry in items if isinstance(items, list) else [items]:
        node = ElementTree.SubElement(top, item)
        for key, value in (entry or {}).items():
            ElementTree.SubElement(node, key).text = _text(value)
    return ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)


class Open311XMLRenderer(renderers.BaseRenderer):
    format = "xml"
    media_type = "text/xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root = getattr(view, "xml_root", "response")
        item = getattr(view, "xml_item", "item")
        return to_xml(data if data is not None else [], root, item)
