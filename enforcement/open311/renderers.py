"""Open311 GeoReport v2 output: JSON, and XML built with the standard library (xml.etree).

The XML root and item element names come from the view (`xml_root`, `xml_item`):
services/service, service_requests/request, errors/error — as in the GeoReport v2 examples. A view
whose answer is one object rather than a list (discovery, a service definition) sets `xml_item` to
None: the object's fields go straight under the root. Nested lists are written the spec's way, one
child per entry named by the singular (endpoints/endpoint, formats/format, attributes/attribute,
values/value).
"""

import json
from xml.etree import ElementTree

from rest_framework import renderers

SINGULAR = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


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


def _fill(node, fields: dict) -> None:
    for key, value in (fields or {}).items():
        child = ElementTree.SubElement(node, key)
        if isinstance(value, (list, tuple)) and key in SINGULAR:
            for entry in value:
                grandchild = ElementTree.SubElement(child, SINGULAR[key])
                if isinstance(entry, dict):
                    _fill(grandchild, entry)
                else:
                    grandchild.text = _text(entry)
        else:
            child.text = _text(value)


def to_xml(items, root: str, item: str | None) -> bytes:
    top = ElementTree.Element(root)
    if item is None:
        _fill(top, items if isinstance(items, dict) else {})
    else:
        for entry in items if isinstance(items, list) else [items]:
            _fill(ElementTree.SubElement(top, item), entry)
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
