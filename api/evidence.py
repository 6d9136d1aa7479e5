"""API endpoints for evidence items (uploads through the intake pipeline), their links
to claims, and reviews (reviewers only, never of one's own item)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.base import InvestigationField, MineField, PartialDateField
from api.filters import LinkFilterSet
from claims.models import Claim
from evidence import selectors, services
from evidence.filters import EvidenceFilterSet
from evidence.models import EvidenceItem, EvidenceLink, MediaAuthenticity, ReviewStatus
from investigations.access import scoped

# The capture range is two fields here (one each end) and one value for the services.
_AS_GIVEN = tuple(name for name in services.EVIDENCE_UPDATABLE if name != "captured")
# Read only: what the intake found in the file, and the review (POST .../review/).
_FROM_THE_FILE = (
    "original_filename",
    "sha256",
    "size_bytes",
    "media_type",
    "metadata",
    "content_credentials",
    "processing",
    "processing_error",
)
_REVIEW = ("review_status", "review_note", "media_authenticity", "reviewed_by", "reviewed_at")


class _CaptureEnd(PartialDateField):
    """One end of the item's capture range (0: start, 1: end)."""

    def __init__(self, end: int, **kwargs) -> None:
        self.end = end
        super().__init__(required=False, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        return instance.captured[self.end]


class EvidenceSerializer(serializers.ModelSerializer):
    event = PartialDateField(required=False, allow_null=True)
    captured_from = _CaptureEnd(0)
    captured_to = _CaptureEnd(1)
    published = PartialDateField(required=False, allow_null=True)
    file = serializers.FileField(
        write_only=True, required=False, help_text="On creation only; checked by the intake."
    )
    upload = serializers.UUIDField(
        write_only=True,
        required=False,
        help_text="Instead of `file`: the id of a finished upload (/api/v1/uploads/, resumable).",
    )
    version = serializers.IntegerField(required=False)
    investigation = InvestigationField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "uuid",
            "investigation",
            *_AS_GIVEN,
            "captured_from",
            "captured_to",
            "file",
            "upload",
            *_FROM_THE_FILE,
            *_REVIEW,
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "uuid", *_FROM_THE_FILE, *_REVIEW, "created", "updated"]

    def _fields(self, data: dict) -> dict:
        fields = {name: data[name] for name in _AS_GIVEN if name in data}
        if "captured_from" in data or "captured_to" in data:
            start, end = self.instance.captured if self.instance else (None, None)
            fields["captured"] = (data.get("captured_from", start), data.get("captured_to", end))
        return fields

    def create(self, data):
        upload = data.get("file")
        return services.evidence_create(
            investigation=data["investigation"],
            by=self.context["request"].user,
            file=upload,
            original_filename=upload.name if upload else "",
            upload=data.get("upload"),
            **self._fields(data),
        )

    def update(self, item, data):
        if "file" in data or "upload" in data:
            raise serializers.ValidationError({"file": "A stored original is never replaced."})
        return services.evidence_update(
            item=item,
            data=self._fields(data),
            by=self.context["request"].user,
            expected_version=data.get("version"),
        )


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    authenticity = serializers.ChoiceField(
        choices=MediaAuthenticity.choices, required=False, allow_blank=True
    )


class EvidenceViewSet(viewsets.ModelViewSet):
    """Evidence items. Filters as on the evidence list: q, kind, review_status, provider,
    captured_from, captured_to, claim, processing. Files are uploaded as multipart form data."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    queryset = EvidenceItem.objects.all()  # for the router and the schema; reads: get_queryset
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        # The evidence list's own read.
        return selectors.evidence_counted(self.request.user)

    @extend_schema(request=None, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue the work on the item's file (previews, keyframes, metadata) again, after
        it failed or when its task was lost; researchers of the investigation only."""
        item = self.get_object()
        item = services.evidence_processing_retry(item=item, by=request.user)
        return Response(EvidenceSerializer(item, context={"request": request}).data)

    @extend_schema(request=ReviewSerializer, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Approve, reject or ask for more information: reviewers only, never of an item
        they added; a note is required to reject or ask."""
        item = self.get_object()
        if not services.can_review(request.user, item.investigation):
            raise PermissionDenied(_("Only reviewers can review evidence."))
        decision = ReviewSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        services.evidence_review(
            item=item,
            by=request.user,
            status=decision.validated_data["status"],
            note=decision.validated_data["note"],
            authenticity=decision.validated_data.get("authenticity"),
        )
        return Response(EvidenceSerializer(item, context={"request": request}).data)


class EvidenceLinkSerializer(serializers.ModelSerializer):
    claim = MineField(queryset=Claim.objects.all())
    evidence = MineField(queryset=EvidenceItem.objects.all())

    class Meta:
        model = EvidenceLink
        fields = ["id", "claim", "evidence", "relation", "strength", "rationale"]
        read_only_fields = ["id"]

    def create(self, data):
        return services.evidence_link_create(by=self.context["request"].user, **data)

    def update(self, link, data):
        fields = {k: data[k] for k in ("relation", "strength", "rationale") if k in data}
        return services.evidence_link_update(
            link=link, data=fields, by=self.context["request"].user
        )


class EvidenceLinkViewSet(viewsets.ModelViewSet):
    """How evidence bears on claims. Filters: claim, evidence, relation."""

    serializer_class = EvidenceLinkSerializer
    queryset = EvidenceLink.objects.all()
    filterset_class = LinkFilterSet

    def get_queryset(self):
        return scoped(self.queryset, self.request.user, through="claim__investigation")

    def perform_destroy(self, link):
        services.evidence_link_delete(link=link, by=self.request.user)
