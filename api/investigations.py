"""The investigations the user belongs to, with their role in each."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from investigations.access import role_in
from investigations.models import Investigation
from investigations.selectors import investigations_of


class InvestigationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role: viewer, researcher, ...")

    class Meta:
        model = Investigation
        fields = ["slug", "name", "description", "status", "role"]

    def get_role(self, investigation: Investigation) -> str:
        return role_in(self.context["request"].user, investigation.pk).value


class InvestigationViewSet(viewsets.ReadOnlyModelViewSet):
    """The investigations you are a member of, by name, with your role; claims and evidence
    take one of these slugs on create, and every list filters by `investigation`."""

    serializer_class = InvestigationSerializer
    queryset = Investigation.objects.all()  # for the router and the schema
    # Someone in no investigation is told so by an empty list.
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"

    def get_queryset(self):
        return investigations_of(self.request.user)
