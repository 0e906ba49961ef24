"""Checks for every value that comes from outside, made where it enters.

A sender id, a message, metadata, a socket.io payload, a webhook form field, a console request
or an import cell is checked here before it reaches Rasa, the store or a log line. Python
strings can hold what no database, JSON encoder or log file takes: lone surrogates (a JSON
body may say "\\ud98d") and NUL (PostgreSQL refuses it in text). One such value once stopped
the whole bot (issue #15), so each channel runs its input through these functions:

* text a customer wrote is *repaired*: a lone surrogate becomes U+FFFD and control characters
  other than tab and newline are dropped, so the message still reaches the bot;
* an identifier is *refused*, never repaired: two different ids must not become one;
* anything of the wrong type or over its limit is refused with `Invalid`, whose message says
  which field and why, in words fit for a 4xx answer (it never repeats the value).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from bot.language import LANGUAGES

MAX_ID_LENGTH = 128
MAX_TEXT_LENGTH = 5000  # what a customer may write in one message (longer: a polite notice)
MAX_METADATA_BYTES = 8 * 1024
MAX_METADATA_DEPTH = 5
MAX_BODY_BYTES = 64 * 1024

_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 and C1 controls except tab, newline and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Invalid(ValueError):
    """A value from outside that is refused; the message names the field and the problem."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def clean_text(value: object, *, field: str = "text", max_length: int = MAX_TEXT_LENGTH) -> str:
    """Text a person wrote, made safe to store, log and render, or `Invalid`.

    Lone surrogates become U+FFFD and control characters (NUL among them) are dropped, except
    tab, newline and carriage return. The length is checked after cleaning.
    """
    if not isinstance(value, str):
        raise Invalid(field, "must be a string")
    if len(value) > max_length * 2:  # do not clean megabytes only to refuse them
        raise Invalid(field, f"longer than {max_length} characters")
    text = _CONTROLS.sub("", _SURROGATES.sub("\ufffd", value))
    if len(text) > max_length:
        raise Invalid(field, f"longer than {max_length} characters")
    return text


def check_text(value: str, *, field: str = "text") -> str:
    """`value` unchanged if `clean_text` would keep it as it is; `Invalid` otherwise.

    For data that is refused rather than repaired, such as a retailer's import file.
    """
    if _SURROGATES.search(value):
        raise Invalid(field, "contains invalid Unicode (a lone surrogate)")
    if _CONTROLS.search(value):
        raise Invalid(field, "contains a control character (such as NUL)")
    return value


def identifier(value: object, *, field: str = "id", max_length: int = MAX_ID_LENGTH) -> str:
    """An id from outside (a sender, a session, a message sid), exactly as given, or `Invalid`.

    It must be a non-blank string of at most `max_length` characters, without lone
    surrogates, control characters or leading/trailing whitespace.
    """
    if not isinstance(value, str):
        raise Invalid(field, "must be a string")
    if not value.strip():
        raise Invalid(field, "must not be empty")
    if len(value) > max_length:
        raise Invalid(field, f"longer than {max_length} characters")
    if value != value.strip():
        raise Invalid(field, "must not start or end with whitespace")
    for character in value:
        if unicodedata.category(character) in ("Cc", "Cs"):
            raise Invalid(field, "contains a control character or invalid Unicode")
    return value


def optional_text(
    value: object, *, field: str = "text", max_length: int = MAX_TEXT_LENGTH
) -> str | None:
    """`clean_text` for a field that may be left out (None stays None)."""
    return None if value is None else clean_text(value, field=field, max_length=max_length)


def metadata(
    value: object,
    *,
    field: str = "metadata",
    max_bytes: int = MAX_METADATA_BYTES,
    max_depth: int = MAX_METADATA_DEPTH,
) -> dict[str, Any]:
    """A JSON object of extra facts (None gives {}), its strings cleaned, within limits."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid(field, "must be an object")
    cleaned = _clean_json(value, field, max_depth)
    if len(json.dumps(cleaned, ensure_ascii=False).encode("utf-8")) > max_bytes:
        raise Invalid(field, f"larger than {max_bytes} bytes")
    assert isinstance(cleaned, dict)
    return cleaned


def clean_json(value: Any, *, field: str = "body", max_depth: int = 32) -> Any:
    """Parsed JSON with every string (keys too) cleaned as `clean_text`; `Invalid` when it
    is nested deeper than `max_depth` or holds a number that is not finite."""
    return _clean_json(value, field, max_depth)


def _clean_json(value: Any, field: str, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value, field=field, max_length=MAX_METADATA_BYTES)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Invalid(field, "holds a number that is not finite")
        return value
    if depth <= 0:
        raise Invalid(field, "is nested too deeply")
    if isinstance(value, dict):
        return {
            clean_text(key, field=field, max_length=200): _clean_json(item, field, depth - 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_clean_json(item, field, depth - 1) for item in value]
    raise Invalid(field, "holds a value that is not JSON")


def json_object(body: bytes | None, *, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """A request body that must be one JSON object, or `Invalid` saying what it is instead."""
    if body is None or not body.strip():
        raise Invalid("body", "is empty; send a JSON object")
    if len(body) > max_bytes:
        raise Invalid("body", f"larger than {max_bytes} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Invalid("body", "is not valid JSON") from None
    except RecursionError:
        raise Invalid("body", "is nested too deeply") from None
    if not isinstance(data, dict):
        raise Invalid("body", f"must be a JSON object, not {_json_kind(data)}")
    return data


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"


MAX_RECORD_ID = 2**63 - 1


def record_id(value: object, *, field: str = "id") -> int:
    """A database id from outside: a whole number (not a boolean) that fits a BIGINT."""
    if type(value) is not int or not 1 <= value <= MAX_RECORD_ID:
        raise Invalid(field, f"must be a whole number from 1 to {MAX_RECORD_ID}")
    return value


def language(value: object) -> str | None:
    """A language code we speak ('nl' or 'en'); None for anything else."""
    if isinstance(value, str) and value.strip().lower()[:2] in LANGUAGES:
        return value.strip().lower()[:2]
    return None
