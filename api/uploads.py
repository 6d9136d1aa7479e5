"""Resumable uploads (the tus protocol, tus.io 1.0.0) and raw uploads, at /api/v1/uploads/.

    # A script, in one request (resumable with PATCH if the connection drops):
    curl -X PUT --data-binary @clip.mp4 -H "Authorization: Token $TOKEN" \\
         -H "Content-Type: video/mp4" -H 'Content-Disposition: attachment; filename="clip.mp4"' \\
         -H "Upload-Investigation: makiivka" \\
         -H "Upload-Checksum-SHA256: $(sha256sum clip.mp4 | cut -c1-64)" \\
         https://corroborate.example.org/api/v1/uploads/
    # then the evidence item takes it:
    curl -X POST -H "Authorization: Token $TOKEN" -d investigation=makiivka -d kind=video \\
         -d title="T-64s in Makiivka" -d upload=<the upload's id> .../api/v1/evidence/

Any tus client (tus-js-client, tuspy, Uppy) works as well: POST with Upload-Length and
Upload-Metadata (investigation, filename and optionally sha256, each base64), then PATCH
parts with Upload-Offset, HEAD to ask where a dropped upload stands, DELETE to give up.
"""

from __future__ import annotations

import base64
import binascii
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from evidence import resumable
from evidence.models import Upload
from investigations.selectors import writable_investigations

TUS_VERSION = "1.0.0"
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


class UploadSerializer(serializers.Serializer):
    """How an upload is described (for the schema; the views write it themselves)."""

    id = serializers.UUIDField()
    investigation = serializers.SlugField()
    filename = serializers.CharField()
    length = serializers.IntegerField(help_text="The declared size in bytes.")
    offset = serializers.IntegerField(help_text="How many bytes have arrived.")
    state = serializers.ChoiceField(choices=["receiving", "complete", "refused", "used"])
    sha256 = serializers.CharField(allow_null=True)
    reason = serializers.CharField(help_text="Why it was refused.")
    expires = serializers.DateTimeField(help_text="Removed after this unless used.")


def _header(name: str, description: str, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.HEADER, required=required,
        description=description,
    )  # fmt: skip


_BINARY = {"application/offset+octet-stream": OpenApiTypes.BINARY}


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str) -> HttpResponse:
    return _tus(JsonResponse({"detail": message}, status=status))


def _describe(upload: Upload, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        {
            "id": str(upload.uuid),
            "investigation": upload.investigation.slug,
            "filename": upload.filename,
            "length": upload.length,
            "offset": upload.offset,
            "state": upload.state,
            "sha256": upload.sha256 or None,
            "reason": upload.reason,
            "expires": upload.expires_at.isoformat(),
        },
        status=status,
    )
    response["Location"] = f"/api/v1/uploads/{upload.uuid}/"
    response["Upload-Offset"] = str(upload.offset)
    return _tus(response)


def _metadata(header: str) -> dict[str, str]:
    pairs = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        key, _, value = item.partition(" ")
        try:
            pairs[key] = base64.b64decode(value, validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise resumable.UploadError(
                400, f"Upload-Metadata “{key}” is not base64 text."
            ) from None
    return pairs


def _number(request, header: str) -> int | None:
    raw = request.headers.get(header)
    if raw is None:
        return None
    if not raw.isdigit():
        raise resumable.UploadError(400, f"{header} must be a whole number of bytes.")
    return int(raw)


def _investigation(user, slug: str):
    """By slug (or by id, as the web form's choice gives it)."""
    mine = writable_investigations(user)
    found = mine.filter(pk=int(slug)).first() if slug.isdigit() else mine.filter(slug=slug).first()
    if found is None:
        raise resumable.UploadError(404, "No such investigation, or you cannot add evidence to it.")
    return found


def _body(request):
    """The request body as a stream (DRF's Request does not parse it here)."""
    return request._request


@extend_schema_view(
    post=extend_schema(
        request=None,
        responses={201: UploadSerializer},
        parameters=[
            _header("Upload-Length", "The file's size in bytes.", required=True),
            _header("Upload-Metadata", "investigation, filename, sha256: each base64."),
        ],
    ),
    put=extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={201: UploadSerializer},
        parameters=[
            _header("Upload-Investigation", "The investigation's slug.", required=True),
            _header("Content-Disposition", 'attachment; filename="clip.mp4"'),
            _header("Upload-Checksum-SHA256", "The file's SHA-256, checked at the end."),
        ],
    ),
    options=extend_schema(exclude=True),
)
class UploadList(APIView):
    """Start an upload (tus creation: POST), or send a whole file as the raw request body
    (PUT with Content-Type, Content-Disposition's filename and Upload-Investigation)."""

    permission_classes = [IsAuthenticated]
    parser_classes: list = []

    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation,creation-with-upload,termination,expiration"
        response["Tus-Max-Size"] = str(settings.EVIDENCE_MAX_UPLOAD_BYTES)
        return _tus(response)

    def post(self, request):
        try:
            if request.headers.get("Tus-Resumable") not in (None, TUS_VERSION):
                raise resumable.UploadError(412, f"Only tus {TUS_VERSION} is spoken here.")
            length = _number(request, "Upload-Length")
            if length is None:
                raise resumable.UploadError(400, "Upload-Length is required.")
            meta = _metadata(request.headers.get("Upload-Metadata", ""))
            upload = resumable.upload_create(
                by=request.user,
                investigation=_investigation(request.user, meta.get("investigation", "")),
                length=length,
                filename=meta.get("filename", ""),
                sha256=meta.get("sha256", ""),
            )
            status = 201
            if _number(request, "Content-Length"):  # creation-with-upload: the first part
                upload = resumable.upload_receive(
                    upload=upload, offset=0, stream=_body(request),
                    length=_number(request, "Content-Length"),
                )  # fmt: skip
        except resumable.UploadError as error:
            return _error(error.status, str(error))
        response = _describe(upload, status)
        response["Upload-Expires"] = upload.expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
        return response

    def put(self, request):
        try:
            length = _number(request, "Content-Length")
            if not length:
                raise resumable.UploadError(411, "Send the file as the body, with Content-Length.")
            found = _FILENAME.search(request.headers.get("Content-Disposition", ""))
            filename = found.group(1) if found else request.headers.get("Upload-Filename", "")
            slug = request.headers.get("Upload-Investigation") or request.GET.get(
                "investigation", ""
            )
            upload = resumable.upload_create(
                by=request.user,
                investigation=_investigation(request.user, slug),
                length=length,
                filename=filename,
                sha256=request.headers.get("Upload-Checksum-SHA256", ""),
            )
            upload = resumable.upload_receive(
                upload=upload, offset=0, stream=_body(request), length=length
            )
        except resumable.UploadError as error:
            return _error(error.status, str(error))
        return _describe(upload, 201)


@extend_schema_view(
    get=extend_schema(responses={200: UploadSerializer}),
    patch=extend_schema(
        request=_BINARY,
        responses={204: None},
        parameters=[_header("Upload-Offset", "Where this part starts.", required=True)],
    ),
    delete=extend_schema(responses={204: None}),
)
class UploadDetail(APIView):
    """One upload: HEAD says how many bytes it holds, PATCH adds the next part (at
    Upload-Offset, Content-Type application/offset+octet-stream), GET describes it in
    JSON, DELETE gives it up. Only its owner sees it."""

    permission_classes = [IsAuthenticated]
    parser_classes: list = []

    def _upload(self, request, uuid) -> Upload:
        return resumable.upload_of(request.user, uuid)

    def head(self, request, uuid):
        try:
            upload = self._upload(request, uuid)
        except resumable.UploadError as error:
            return _tus(HttpResponse(status=error.status))
        response = HttpResponse(status=410 if upload.state == "refused" else 200)
        response["Upload-Offset"] = str(upload.offset)
        response["Upload-Length"] = str(upload.length)
        return _tus(response)

    def get(self, request, uuid):
        try:
            return _describe(self._upload(request, uuid))
        except resumable.UploadError as error:
            return _error(error.status, str(error))

    def patch(self, request, uuid):
        try:
            upload = self._upload(request, uuid)
            if request.content_type != "application/offset+octet-stream":
                raise resumable.UploadError(
                    415, "Send the part as Content-Type: application/offset+octet-stream."
                )
            offset = _number(request, "Upload-Offset")
            if offset is None:
                raise resumable.UploadError(400, "Upload-Offset is required.")
            upload = resumable.upload_receive(
                upload=upload, offset=offset, stream=_body(request),
                length=_number(request, "Content-Length"),
            )  # fmt: skip
        except resumable.UploadError as error:
            return _error(error.status, str(error))
        response = HttpResponse(status=204)
        response["Upload-Offset"] = str(upload.offset)
        return _tus(response)

    def delete(self, request, uuid):
        try:
            resumable.upload_delete(upload=self._upload(request, uuid))
        except resumable.UploadError as error:
            return _error(error.status, str(error))
        return _tus(HttpResponse(status=204))
