"""API endpoints for working together: comments, assignments, notifications and saved
searches, with the web pages' permissions (the services check them)."""

from __future__ import annotations

import django_filters as filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims.models import Claim
from core.filters import IdFilter
from evidence.models import EvidenceItem
from investigations.access import scoped
from teamwork import selectors, services
from teamwork.models import Alert, Assignment, Comment, Notification, SavedSearch, SearchTarget


class _OnRecord(serializers.Serializer):
    """`claim` or `evidence` (one of them) by id, among the records the user may see: any
    other id answers as if it did not exist."""

    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True
    )
    evidence = serializers.PrimaryKeyRelatedField(
        queryset=EvidenceItem.objects.all(), required=False, allow_null=True
    )

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        for name, model in (("claim", Claim), ("evidence", EvidenceItem)):
            if name in fields and not fields[name].read_only:
                fields[name].queryset = scoped(model.objects.select_related("investigation"), user)
        return fields

    def validate(self, data):
        if self.instance is None and bool(data.get("claim")) == bool(data.get("evidence")):
            raise serializers.ValidationError(
                {"claim": "Name exactly one record: a claim or an evidence item."}
            )
        return data

    @staticmethod
    def record(data):
        return data.get("claim") or data.get("evidence")


class RecordFilterSet(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    evidence = IdFilter(field_name="evidence_id")


class CommentSerializer(_OnRecord, serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    text = serializers.CharField(
        trim_whitespace=False, help_text="Markdown: emphasis, links, lists, quotes; @name mentions."
    )
    html = serializers.CharField(read_only=True, help_text="The sanitised rendering.")
    mentioned = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "claim",
            "evidence",
            "author",
            "text",
            "html",
            "mentioned",
            "created",
            "edited",
        ]
        read_only_fields = ["id", "created", "edited"]

    def validate(self, data):
        if self.instance is not None and ({"claim", "evidence"} & set(self.initial_data or {})):
            raise serializers.ValidationError({"claim": "A comment stays on its record."})
        return super().validate(data)

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if hasattr(self, "_not_mentioned"):
            data["not_mentioned"] = self._not_mentioned
        return data

    def create(self, data):
        written = services.comment_create(
            record=self.record(data), by=self.context["request"].user, text=data["text"]
        )
        self._not_mentioned = written.not_mentioned
        return written.comment

    def update(self, comment, data):
        written = services.comment_update(
            comment=comment, by=self.context["request"].user, text=data.get("text", comment.text)
        )
        self._not_mentioned = written.not_mentioned
        return written.comment


class CommentViewSet(viewsets.ModelViewSet):
    """Comments on claims and evidence items, oldest first; filter by `claim` or `evidence`.
    Only the author edits (the earlier text stays in the record's history) or deletes."""

    serializer_class = CommentSerializer
    filterset_class = RecordFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Comment.objects.all()

    def get_queryset(self):
        return (
            scoped(Comment.objects, self.request.user)
            .select_related("author")
            .prefetch_related("mentioned")
            .order_by("created", "pk")
        )

    def perform_destroy(self, comment):
        services.comment_delete(comment=comment, by=self.request.user)


class AssignmentSerializer(_OnRecord, serializers.ModelSerializer):
    user = serializers.CharField(help_text="The member's user name.")
    assigned_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "claim", "evidence", "user", "assigned_by", "created"]
        read_only_fields = ["id", "created"]
        validators = []  # the service says "already assigned", naming the person

    def to_representation(self, assignment):
        data = super().to_representation(assignment)
        data["user"] = assignment.user.username
        return data

    def create(self, data):
        name = data["user"].strip().lstrip("@")
        user = get_user_model().objects.filter(username__iexact=name).first()
        if user is None:
            raise DjangoValidationError({"user": f"{name} is not a member of this investigation."})
        return services.assignment_add(
            record=self.record(data), user=user, by=self.context["request"].user
        )


class AssignmentFilterSet(RecordFilterSet):
    mine = filters.BooleanFilter(method="assigned_to_me", label="Only my assignments")

    def assigned_to_me(self, queryset, name, value):
        return queryset.filter(user=self.request.user) if value else queryset


class AssignmentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who is assigned to which claim or evidence item; `mine=true` for my own. Assign a
    member (researcher or more) by user name; DELETE unassigns."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    queryset = Assignment.objects.all()

    def get_queryset(self):
        return (
            scoped(Assignment.objects, self.request.user)
            .select_related("user", "assigned_by")
            .order_by("created", "pk")
        )

    def perform_destroy(self, assignment):
        services.assignment_remove(assignment=assignment, by=self.request.user)


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="What it says, in one sentence.")
    available = serializers.SerializerMethodField(
        help_text="False when it is about an investigation you left: it then says nothing more."
    )
    url = serializers.SerializerMethodField(help_text="The page it is about.")
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "available",
            "url",
            "claim",
            "evidence",
            "search",
            "actor_name",
            "excerpt",
            "count",
            "created",
            "updated",
            "read",
        ]

    def _available(self, notification) -> bool:
        return selectors.available(notification, self.context["request"].user)

    def get_text(self, notification) -> str:
        return selectors.headline(notification, self.context["request"].user)

    def get_available(self, notification) -> bool:
        return self._available(notification)

    def get_url(self, notification) -> str | None:
        return selectors.target_url(notification) if self._available(notification) else None

    def get_read(self, notification) -> bool:
        return notification.read_at is not None

    def to_representation(self, notification):
        data = super().to_representation(notification)
        if not data["available"]:
            for name in ("claim", "evidence", "search", "actor_name", "excerpt"):
                data[name] = None
        return data


class NotificationFilterSet(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Unread")


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """My notifications, newest first; `unread=true` for the unread ones."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.all()

    def get_queryset(self):
        return selectors.inbox(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark it read."""
        notification = services.notification_read(notification=self.get_object(), by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked_read": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification read."""
        return Response({"marked_read": services.notifications_read_all(by=request.user)})


class SavedSearchSerializer(serializers.ModelSerializer):
    target = serializers.ChoiceField(choices=SearchTarget.choices)
    alert = serializers.ChoiceField(choices=Alert.choices, required=False, allow_blank=True)
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="The list's filters as a query string, e.g. verdict=disputed&q=tanks.",
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "target", "query", "alert", "url", "created"]
        read_only_fields = ["id", "created"]

    def get_url(self, search) -> str:
        return selectors.search_url(search)

    def validate(self, data):
        if (
            self.instance is not None
            and "target" in data
            and data["target"] != self.instance.target
        ):
            raise serializers.ValidationError({"target": "A saved search keeps its list."})
        return data

    def create(self, data):
        return services.saved_search_create(owner=self.context["request"].user, **data)

    def update(self, search, data):
        data.pop("target", None)
        return services.saved_search_update(
            search=search, by=self.context["request"].user, data=data
        )


class SavedSearchViewSet(viewsets.ModelViewSet):
    """My saved searches of the claim or evidence list, with their alerts."""

    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = SavedSearch.objects.all()

    def get_queryset(self):
        return selectors.saved_searches_of(self.request.user)

    def perform_destroy(self, search):
        services.saved_search_delete(search=search, by=self.request.user)
