"""Is this request really from Twilio? X-Twilio-Signature over the public URL and the form.

Twilio signs the URL it called, which behind a proxy is not the URL Sanic sees. So the URL is
KLANTREIS_PUBLIC_URL + path; without it, X-Forwarded-Proto/-Host are believed only when
KLANTREIS_TRUST_PROXY=1, and otherwise the request's own URL is used.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from sanic.request import Request
from twilio.request_validator import RequestValidator

from bot import validation
from connectors.whatsapp.config import WhatsAppConfig

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200
SIGNATURE_HEADER = "X-Twilio-Signature"


class BadForm(ValueError):
    """The body is not a Twilio form post."""


class FormParams(dict):
    """Form fields as Twilio sent them, every value kept (also repeated and empty ones).

    Maps name → first value; `getall` gives all values, which RequestValidator uses.
    """

    def __init__(self, pairs: list[tuple[str, str]]):
        super().__init__()
        self._all: dict[str, list[str]] = {}
        for name, value in pairs:
            self._all.setdefault(name, []).append(value)
            self.setdefault(name, value)

    def getall(self, name: str) -> list[str]:
        return list(self._all.get(name, []))


def form_text(params: FormParams, name: str, max_length: int = MAX_BODY_BYTES) -> str:
    """A form field as clean text ("" when absent); BadForm when it cannot be one.

    Percent-encoding can carry NUL and control characters, which PostgreSQL refuses.
    """
    try:
        return validation.clean_text(params.get(name) or "", field=name, max_length=max_length)
    except validation.Invalid as exc:
        raise BadForm(str(exc)) from None


def parse_form(request: Request) -> FormParams:
    """The form fields of a Twilio POST; BadForm when it is not one."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise BadForm("not a form post")
    body = request.body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadForm("body too large")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(
            text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadForm("malformed form body") from exc
    return FormParams(pairs)


def _first(value: str | None) -> str:
    return (value or "").split(",")[0].strip()


def public_url(request: Request, config: WhatsAppConfig) -> str:
    """The URL Twilio called for this request, as Twilio saw it."""
    path = request.path
    if request.query_string:
        path = f"{path}?{request.query_string}"
    if config.public_url:
        return f"{config.public_url}{path}"
    if config.trust_proxy:
        proto = _first(request.headers.get("x-forwarded-proto")) or request.scheme
        host = _first(request.headers.get("x-forwarded-host")) or request.host
        return f"{proto}://{host}{path}"
    return f"{request.scheme}://{request.host}{path}"


def is_signed(request: Request, params: FormParams, config: WhatsAppConfig) -> bool:
    signature = request.headers.get(SIGNATURE_HEADER.lower())
    if not signature:
        return False
    validator = RequestValidator(config.auth_token)
    return bool(validator.validate(public_url(request, config), params, signature))
