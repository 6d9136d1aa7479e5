"""API endpoints for claims, claimants and tags. Reads use the list pages' FilterSets;
writes go through claims.services, like every other writer."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from claims import services
from claims.filters import ClaimantFilterSet, ClaimFilterSet
from claims.models import Claim, Claimant, ClaimantKind, Tag, Verdict
from corroborate.api import PartialDateField


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

    class Meta:
        model = Claim
        fields = ["id", "uuid", "statement", "details", "made", "tags", "verdict",
                  "verdict_rationale", "version", "created_by", "created", "updated"]  # fmt: skip
        read_only_fields = ["id", "uuid", "created", "updated"]

    def to_representation(self, claim):
        data = super().to_representation(claim)
        data["made"] = self.fields["made"].to_representation(claim.made) if claim.made else None
        return data

    def _fields(self, data: dict) -> dict:
        fields = {k: data[k] for k in ("statement", "details", "verdict", "verdict_rationale")
                  if k in data}  # fmt: skip
        if "made" in data:
            made = data["made"]
            fields["made_on"] = made.value if made else None
            fields["made_on_precision"] = made.precision if made else "day"
        return fields

    def create(self, data):
        return services.claim_create(
            created_by=self.context["request"].user,
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
            services.claim_set_tags(claim=claim, names=data["tag_names"], by=user)
        return claim


class ClaimViewSet(viewsets.ModelViewSet):
    """Claims. Filters as on the claim list: q, verdict, tag, claimant, denied,
    contradicted, flags, made_from, made_to, sort."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    # No deletion: the web workbench has none either, and the record keeps its history.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Claim.objects.select_related("created_by").prefetch_related("tags")


class ClaimantSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Claimant
        fields = ["id", "name", "kind", "parent", "aliases", "country", "description",
                  "version", "created", "updated"]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]

    def to_representation(self, claimant):
        data = super().to_representation(claimant)
        data["aliases"] = claimant.alias_list
        return data

    def _fields(self, data: dict) -> dict:
        fields = {k: data[k] for k in ("name", "kind", "parent", "country", "description")
                  if k in data}  # fmt: skip
        if "aliases" in data:
            fields["aliases"] = "\n".join(data["aliases"])
        return fields

    def create(self, data):
        return services.claimant_create(
            created_by=self.context["request"].user, **self._fields(data)
        )

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
    queryset = Claimant.objects.all()


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """Context tags; new ones are made by naming them on a claim."""

    serializer_class = TagSerializer
    queryset = Tag.objects.all()
    filterset_fields = ["name"]
