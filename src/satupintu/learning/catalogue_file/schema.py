"""The JSON Schema of a course file."""

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from satupintu.learning.constants import LessonKind, Modality

# The JSON Schema ---------------------------------------------------------------------------


def _text(max_length: int | None = None) -> dict:
    """Text in both languages: ``{id: …, en: …}``."""
    line: dict[str, Any] = {"type": "string", "minLength": 1}
    if max_length:
        line["maxLength"] = max_length
    return {
        "type": "object",
        "properties": {"id": line, "en": line},
        "required": ["id", "en"],
        "additionalProperties": False,
    }


_CODE = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80}
_AGENCY = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64}

COURSE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://satupintu.example/schema/courses.json",
    "title": "A file of Satupintu courses",
    "type": "object",
    "properties": {
        "courses": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/course"}},
    },
    "required": ["courses"],
    "additionalProperties": False,
    "$defs": {
        "course": {
            "type": "object",
            "properties": {
                "code": _CODE,
                "title": _text(200),
                "summary": _text(300),
                "description": _text(),
                "modality": {"enum": [value for value, _label in Modality.choices]},
                "jp": {"type": "number", "minimum": 0, "maximum": 999, "multipleOf": 0.5},
                "provider": _AGENCY,
                "audience_agencies": {"type": "array", "items": _AGENCY, "uniqueItems": True},
                "audience": _text(300),
                "capacity": {"type": "integer", "minimum": 1},
                "requires_approval": {"type": "boolean"},
                "prerequisites": {"type": "array", "items": _CODE, "uniqueItems": True},
                "issues_certificate": {"type": "boolean"},
                "competencies": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": _CODE,
                            "level": {"type": "integer", "minimum": 1, "maximum": 5},
                        },
                        "required": ["code", "level"],
                        "additionalProperties": False,
                    },
                },
                "steps": {
                    "type": "array",
                    "minItems": 2,
                    "items": {
                        "type": "object",
                        "properties": {"course": _CODE, "required": {"type": "boolean"}},
                        "required": ["course"],
                        "additionalProperties": False,
                    },
                },
                "lessons": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/lesson"}},
                "external_activity_id": {
                    "type": "string",
                    "pattern": "^[a-z][a-z0-9+.-]*:",
                    "maxLength": 500,
                },
                "published": {"type": "boolean"},
            },
            "required": ["code", "title", "summary", "modality", "provider"],
            "additionalProperties": False,
        },
        "lesson": {
            "type": "object",
            "properties": {
                "kind": {"enum": [value for value, _label in LessonKind.choices]},
                "title": _text(200),
                "body": _text(),
                "video_url": {"type": "string", "pattern": "^https://", "maxLength": 200},
                "file": {"type": "string", "minLength": 1, "maxLength": 200},
                "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
                "pass_mark": {"type": "integer", "minimum": 1, "maximum": 100},
                "max_attempts": {"type": "integer", "minimum": 1, "maximum": 50},
                "questions": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/$defs/question"},
                },
            },
            "required": ["kind", "title"],
            "additionalProperties": False,
        },
        "question": {
            "type": "object",
            "properties": {
                "text": _text(),
                "competency": _CODE,
                "explanation": _text(),
                "choices": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 8,
                    "items": {
                        "type": "object",
                        "properties": {"text": _text(300), "correct": {"type": "boolean"}},
                        "required": ["text"],
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["text", "choices"],
            "additionalProperties": False,
        },
    },
}


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(COURSE_SCHEMA)


def course_schema_text() -> str:
    """The JSON Schema of a course file, for editors that check YAML against one."""
    return json.dumps(COURSE_SCHEMA, indent=2, ensure_ascii=False)
