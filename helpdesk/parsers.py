"""The API's JSON parser: a body Python's json module chokes on is a 400, never a 500."""

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        # `1e999999` reads as infinity, which no integer or decimal field can hold.
        raise ParseError(f"JSON parse error - number out of range: {text[:20]}")
    return number


def _no_constants(name: str) -> None:
    raise ParseError(f"JSON parse error - {name} is not a number")


class SafeJSONParser(JSONParser):
    """DRF's parser, refusing infinite numbers, NaN and nesting deep enough to exhaust the stack."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            return json.loads(stream.read().decode(encoding), parse_float=_finite, parse_constant=_no_constants)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
