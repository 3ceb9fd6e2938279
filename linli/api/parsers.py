"""JSON with limits, for every view (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES) and for code that reads a body
itself (`loads`).

Python's json module recurses once per nesting level: a body of a thousand `[` raises RecursionError, which
no view expects, so it was a 500. A body is measured before it is parsed, without recursion: at most
`API_JSON_MAX_BYTES` (1 MB; 413 `payload_too_large`) and nested at most `API_JSON_MAX_DEPTH` levels (32;
400 `payload_too_deep`). Multipart uploads keep their own limits (linli.uploads, DATA_UPLOAD_MAX_MEMORY_SIZE).
"""

import codecs
import json
import re
from itertools import accumulate

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as strict_json

from linli.api.errors import DomainError, PayloadTooLarge

# A JSON string (escapes included; its closing quote optional, so that a match never fails and backtracks
# to the end of the body for each quote: an unclosed string in `"\"\"…` made the scan quadratic), or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)
_OPENS = {"[": 1, "{": 1, "]": -1, "}": -1}


class PayloadTooDeep(DomainError, ValueError):
    """Also a ValueError: to code that only asks "is this valid JSON?", it is not."""

    code = "payload_too_deep"
    default_message = "请求体嵌套层数过多"


def max_bytes() -> int:
    return settings.API_JSON_MAX_BYTES


def max_depth() -> int:
    return settings.API_JSON_MAX_DEPTH


def nesting_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without recursion (strings skipped)."""
    steps = (_OPENS[token] for token in _TOKEN.findall(text) if token in _OPENS)
    return max(accumulate(steps), default=0)


def loads(data: str | bytes, *, limit: int | None = None):
    """`json.loads` that refuses, with PayloadTooDeep, nesting deeper than `limit` (default API_JSON_MAX_DEPTH)."""
    text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes | bytearray) else data
    limit = max_depth() if limit is None else limit
    if nesting_depth(text) > limit:
        raise PayloadTooDeep(f"请求体嵌套不能超过 {limit} 层")
    return strict_json.loads(text)  # NaN and Infinity refused, like DRF's parser


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser within the platform's limits (see the module doc)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = max_bytes()
        raw = stream.read(limit + 1)  # DRF has read the body already, within DATA_UPLOAD_MAX_MEMORY_SIZE
        if len(raw) > limit:
            raise PayloadTooLarge(f"请求体不能超过 {limit // 1024} KB")
        encoding = parsers.get_encoding(parser_context)
        try:
            text = codecs.decode(raw, encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        try:
            return loads(text)
        except PayloadTooDeep:
            raise
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
