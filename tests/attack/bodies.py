"""A body the API's schema accepts, for each operation: the walk must reach the guard and
the object lookup, not stop at validation. Deterministic: every required field gets the
first value its schema allows."""

from __future__ import annotations

from typing import Any

DATE = "2026-03-02"


def example_body(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    value = _example(document, schema)
    return value if isinstance(value, dict) else {}


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    schema = _resolve(document, schema)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [_resolve(document, s) for s in schema[combined]]
            chosen = next((s for s in options if s.get("type") != "null"), options[0])
            return _example(document, chosen)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            name: _example(document, properties[name])
            for name in schema.get("required", [])
            if name in properties
        }
    if kind == "array":
        return [_example(document, schema.get("items", {}))] * max(schema.get("minItems", 1), 1)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if kind == "string":
        if schema.get("format") == "date":
            return DATE
        if schema.get("format") == "date-time":
            return f"{DATE}T10:00:00+01:00"
        return "Forsøk"[: schema.get("maxLength", 6)].ljust(schema.get("minLength", 0), "x")
    return None
