"""The HTTP ingest API (docs/contracts.md, "HTTP ingest API and tokens"): token-authenticated, CSRF-exempt JSON views.

POST /api/v1/ingest/<kind>  → 202 {"job": ID, "status_url": "/api/v1/jobs/ID"} (the same bytes again:
                                   the first job, nothing new)
GET  /api/v1/jobs/<id>      → {"id", "kind", "status", "progress", "counts", "errors"}
401 bad/missing/revoked/expired token · 404 another organization's job or an unknown kind ·
400 malformed JSON or a schema violation (every violation with its field path) · 413 too large ·
411 a chunked body the server in front cannot de-chunk.
"""

import json
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.tokens import api_token_authenticate
from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.jobs.selectors import job_list, job_status_document

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _unauthorized(message: str) -> JsonResponse:
    response = _error(401, message)
    response["WWW-Authenticate"] = 'Bearer realm="riskboard", error="invalid_token"'
    return response


def token_required(view):
    """Resolve `Authorization: Bearer <token>` into request.api_token, or answer 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return _unauthorized("Send an organization API token: 'Authorization: Bearer <token>'.")
        token = api_token_authenticate(raw=raw.strip())
        if token is None:
            return _unauthorized("The token is unknown, revoked or expired.")
        request.api_token = token
        return view(request, *args, **kwargs)

    return wrapper


class _LengthRequired(Exception):
    pass


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None when it is larger than the limit (checked on the header and on the bytes).

    A chunked body has no Content-Length, and Django reads such a body as empty: it is read from the
    server's own stream when the server de-chunks it (gunicorn says so with `wsgi.input_terminated`),
    up to the limit, and refused with 411 otherwise (_LengthRequired) — never taken as empty.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not request.META.get("CONTENT_LENGTH"):
        if not request.META.get("wsgi.input_terminated"):
            raise _LengthRequired
        stream = request.META["wsgi.input"]
        parts, size = [], 0
        while size <= limit and (part := stream.read(min(1024 * 1024, limit + 1 - size))):
            parts.append(part)
            size += len(part)
        body = b"".join(parts)
    else:
        body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
@token_required
def ingest(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportJob.Kind.values:
        return _error(404, f"Unknown kind {kind!r}; expected one of {', '.join(ImportJob.Kind.values)}.")
    limit = settings.RISKBOARD_MAX_PAYLOAD_BYTES
    try:
        payload = _read_body(request, limit)
    except _LengthRequired:
        return _error(
            411, "Send the payload with a Content-Length header (this server cannot read a chunked body)."
        )
    if payload is None:
        return _error(413, f"The payload is larger than the {limit:,} bytes this server accepts.")
    try:
        job, _created = services.job_submit(
            organization=request.api_token.organization,
            kind=kind,
            payload=payload,
            source=ImportJob.Source.API,
            content_type=request.content_type or "",
            token=request.api_token,
        )
    except services.PayloadInvalid as invalid:
        return _error(
            400, f"The payload is not a valid {kind} document; nothing was imported.", errors=invalid.errors
        )
    status_url = reverse("api:job_status", kwargs={"job_id": job.pk})
    return JsonResponse({"job": job.pk, "status_url": status_url}, status=202)


@csrf_exempt
@require_GET
@token_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_list(organization=request.api_token.organization).filter(pk=job_id).first()
    if job is None:
        return _error(404, f"No job {job_id} for this token's organization.")
    return JsonResponse(job_status_document(job=job))


@cache
def _openapi_document() -> dict:
    return json.loads(OPENAPI_PATH.read_text())


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(_openapi_document())
