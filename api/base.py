"""What every API endpoint shares: authentication, permissions, errors and pagination.

The API has exactly the web pages' permissions: reading needs the model's view permission,
writing its add, change or delete permission. Every error is JSON with field messages, and
no input, however malformed, should produce a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.fields import empty
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.dates import PartialDate
from core.pagination import RowsPaginator
from core.services import EditConflict
from core.storage import StorageUnavailable
from investigations.access import role_in, scoped, visible_ids
from investigations.models import Role
from investigations.selectors import sole_writable_investigation, writable_investigations


class MemberPermission(permissions.BasePermission):
    """The web's rules: reading needs a membership (and each endpoint reads only the user's
    investigations, so other records answer 404); writing needs the researcher role in the
    record's investigation (claimants and tags, shared, in any investigation)."""

    message = gettext_lazy("Your role does not allow this.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        needed = Role.VIEWER if request.method in permissions.SAFE_METHODS else Role.RESEARCHER
        return bool(visible_ids(request.user, at_least=needed))

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        owner = getattr(obj, "claim", obj)  # sources, statements and links: their claim's
        investigation_id = getattr(owner, "investigation_id", None)
        if investigation_id is None:
            return True  # shared records: any researcher (checked above)
        role = role_in(request.user, investigation_id)
        return role is not None and role.allows(Role.RESEARCHER)


class Pagination(PageNumberPagination):
    """Pages as the web lists have them (core.pagination): the rows of the page computed
    alone, the back half read from the end, and beyond 1,000 rows a `count` that is the
    planner's estimate, said by `count_estimated`."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = RowsPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_estimated"] = self.page.paginator.estimated
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_estimated"] = {
            "type": "boolean",
            "description": "Whether count is an estimate (more than 1,000 results).",
        }
        return schema


def exception_handler(error, context):
    """Every error as JSON: Django validation errors by field, edit conflicts as 409."""
    # Imported here: DRF's views module loads this module's permission class itself.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(error, DjangoValidationError):
        detail = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {"non_field_errors": error.messages}
        )
        error = exceptions.ValidationError(detail)
    elif isinstance(error, EditConflict):
        return Response(
            {
                "detail": "Someone else saved this record since you read it.",
                "current_version": error.current.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(error, StorageUnavailable):
        return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied(str(error) or None)
    elif isinstance(error, Http404):
        error = exceptions.NotFound()
    return drf_exception_handler(error, context)


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "date": {"type": "string", "example": "2014-06"},
                    "precision": {"type": "string", "enum": ["day", "month", "year"]},
                    "text": {"type": "string", "example": "June 2014"},
                },
            },
            {"type": "string", "example": "June 2014"},
        ],
        "nullable": True,
        "description": "Read as an object; write as text: 2014, 2014-06, June 2014 or "
        "12 June 2014.",
    }
)
class PartialDateField(serializers.Field):
    """A date known to the day, month or year: "2014", "2014-06", "June 2014" in;
    {"date": "2014-06", "precision": "month", "text": "June 2014"} out."""

    def to_representation(self, value):
        return value.as_json() if value is not None else None

    def to_internal_value(self, data):
        if data in (None, ""):
            return None
        if isinstance(data, dict):
            data = data.get("date", "")
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Give the date as text, e.g. “June 2014”."))
        try:
            return PartialDate.parse(data)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class InvestigationField(serializers.SlugRelatedField):
    """An investigation by its slug: on create, one the user may add records to (it may be
    left out when there is only one); a record never moves to another investigation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault(
            "help_text",
            "The investigation's short name, on create; may be left out when you can add to "
            "one investigation only.",
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_queryset(self):
        return writable_investigations(self.context["request"].user)

    def validate_empty_values(self, data):
        instance = getattr(self.parent, "instance", None)
        if instance is not None:
            if data is not empty:
                raise serializers.ValidationError(
                    _("A record stays in the investigation it was made in.")
                )
            return super().validate_empty_values(data)
        if data is empty:
            sole = sole_writable_investigation(self.context["request"].user)
            if sole is None:
                raise serializers.ValidationError(
                    _("Name the investigation (its short name): you can add to several.")
                )
            return (True, sole)
        return super().validate_empty_values(data)


class MineField(serializers.PrimaryKeyRelatedField):
    """A record of an investigation the user may add to, by id; any other id answers as if
    it did not exist."""

    def __init__(self, *, through: str = "investigation", **kwargs):
        self.through = through
        super().__init__(**kwargs)

    def get_queryset(self):
        return scoped(
            super().get_queryset(),
            self.context["request"].user,
            through=self.through,
            at_least=Role.RESEARCHER,
        )
