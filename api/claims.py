"""API endpoints for claims, claimants and tags. Reads use the list pages' FilterSets;
writes go through claims.services, like every other writer."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from api.base import InvestigationField, MineField, PartialDateField
from api.filters import AttributionFilterSet, DenialFilterSet, SourceFilterSet
from assessment.filters import ClaimFilterSet
from assessment.selectors import claims_weighed
from claims import services
from claims.filters import ClaimantFilterSet
from claims.models import (
    Attribution,
    Claim,
    Claimant,
    ClaimantKind,
    Denial,
    Source,
    Tag,
    Verdict,
)
from claims.selectors import claimants_counted
from claims.services import ATTRIBUTION_UPDATABLE, CLAIM_UPDATABLE, DENIAL_UPDATABLE
from investigations.access import scoped


class ClaimSerializer(serializers.ModelSerializer):
    made = PartialDateField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        source="tag_names",
        required=False,
        help_text="Tag names; new ones are created.",
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    version = serializers.IntegerField(
        required=False,
        help_text="On update: the version you read. A newer stored version gives 409.",
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    investigation = InvestigationField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "uuid",
            "investigation",
            "statement",
            "details",
            "made",
            "tags",
            "verdict",
            "verdict_rationale",
            "version",
            "created_by",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "uuid", "created", "updated"]

    def _fields(self, data: dict) -> dict:
        return {name: data[name] for name in CLAIM_UPDATABLE if name in data}

    def create(self, data):
        return services.claim_create(
            investigation=data["investigation"],
            by=self.context["request"].user,
            tags=data.get("tag_names", []),
            **self._fields(data),
        )

    def update(self, claim, data):
        user = self.context["request"].user
        fields = self._fields(data)
        if fields:
            services.claim_update(
                claim=claim, data=fields, by=user, expected_version=data.get("version")
            )
        if "tag_names" in data:
            services.claim_tags_set(claim=claim, names=data["tag_names"], by=user)
        return claim


class ClaimViewSet(viewsets.ModelViewSet):
    """Claims. Filters as on the claim list: q, verdict, tag, claimant, denied,
    contradicted, flags, made_from, made_to, sort."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    # No deletion: the web workbench has none either, and the record keeps its history.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Claim.objects.all()  # for the router and the schema; reads use get_queryset

    def get_queryset(self):
        # The claim list's own read, so that every filter of the page works here too.
        return claims_weighed(self.request.user).select_related("created_by")


class ClaimantSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Claimant
        fields = [
            "id",
            "name",
            "kind",
            "parent",
            "aliases",
            "country",
            "description",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "created", "updated"]

    def to_representation(self, claimant):
        data = super().to_representation(claimant)
        data["aliases"] = claimant.alias_list
        return data

    def _fields(self, data: dict) -> dict:
        fields = {
            k: data[k] for k in ("name", "kind", "parent", "country", "description") if k in data
        }
        if "aliases" in data:
            fields["aliases"] = "\n".join(data["aliases"])
        return fields

    def create(self, data):
        return services.claimant_create(by=self.context["request"].user, **self._fields(data))

    def update(self, claimant, data):
        return services.claimant_update(
            claimant=claimant,
            data=self._fields(data),
            by=self.context["request"].user,
            expected_version=data.get("version"),
        )


class ClaimantViewSet(viewsets.ModelViewSet):
    """Claimants. Filters as on the claimant list: q (names and aliases), kind, country."""

    serializer_class = ClaimantSerializer
    filterset_class = ClaimantFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Claimant.objects.all()  # for the router and the schema; reads use get_queryset

    def get_queryset(self):
        return claimants_counted(self.request.user)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """Context tags; new ones are made by naming them on a claim."""

    serializer_class = TagSerializer
    queryset = Tag.objects.all()
    filterset_fields = ["name"]


class SourceSerializer(serializers.ModelSerializer):
    claim = MineField(queryset=Claim.objects.all())

    class Meta:
        model = Source
        fields = ["id", "claim", "outlet", "url", "title", "published_on", "archived_url"]
        read_only_fields = ["id"]

    def create(self, data):
        return services.source_create(by=self.context["request"].user, **data)

    def update(self, source, data):
        data.pop("claim", None)  # a source stays with its claim
        return services.source_update(source=source, data=data, by=self.context["request"].user)


class _WriteThroughServices(viewsets.ModelViewSet):
    """A claim's parts: read from the user's investigations only; deleted by a service."""

    delete_service = None

    def get_queryset(self):
        return scoped(self.queryset, self.request.user, through="claim__investigation")

    def perform_destroy(self, instance):
        type(self).delete_service(instance, self.request.user)


class SourceViewSet(_WriteThroughServices):
    """A claim's sources. Filter: claim."""

    serializer_class = SourceSerializer
    queryset = Source.objects.all()
    filterset_class = SourceFilterSet

    @staticmethod
    def delete_service(source, user):
        services.source_delete(source=source, by=user)


class _StanceSerializer(serializers.ModelSerializer):
    """Attributions and denials: created on a claim, updated with a version check."""

    claim = MineField(queryset=Claim.objects.all())
    source = MineField(
        queryset=Source.objects.all(),
        through="claim__investigation",
        required=False,
        allow_null=True,
    )

    stated = PartialDateField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        help_text="On update: the version you read. A newer stored version gives 409.",
    )
    updatable: tuple[str, ...] = ()

    def create(self, data):
        fields = {name: data[name] for name in ("claim", *self.updatable) if name in data}
        return self.create_service(by=self.context["request"].user, **fields)

    def update(self, stance, data):
        return self.update_service(
            stance,
            data={name: data[name] for name in self.updatable if name in data},
            by=self.context["request"].user,
            expected_version=data.get("version"),
        )


class AttributionSerializer(_StanceSerializer):
    updatable = ATTRIBUTION_UPDATABLE
    create_service = staticmethod(services.attribution_create)

    @staticmethod
    def update_service(attribution, **changes):
        return services.attribution_update(attribution=attribution, **changes)

    class Meta:
        model = Attribution
        fields = ["id", "claim", "claimant", "role", "stated", "quote", "source", "version"]
        read_only_fields = ["id"]


class AttributionViewSet(_WriteThroughServices):
    """Who made, endorsed or repeated a claim. Filters: claim, claimant, role."""

    serializer_class = AttributionSerializer
    queryset = Attribution.objects.all()
    filterset_class = AttributionFilterSet

    @staticmethod
    def delete_service(attribution, user):
        services.attribution_delete(attribution=attribution, by=user)


class DenialSerializer(_StanceSerializer):
    updatable = DENIAL_UPDATABLE
    create_service = staticmethod(services.denial_create)

    @staticmethod
    def update_service(denial, **changes):
        return services.denial_update(denial=denial, **changes)

    class Meta:
        model = Denial
        fields = ["id", "claim", "claimant", "kind", "stated", "quote", "source", "version"]
        read_only_fields = ["id"]


class DenialViewSet(_WriteThroughServices):
    """Denials of claims. Filters: claim, claimant, kind."""

    serializer_class = DenialSerializer
    queryset = Denial.objects.all()
    filterset_class = DenialFilterSet

    @staticmethod
    def delete_service(denial, user):
        services.denial_delete(denial=denial, by=user)
