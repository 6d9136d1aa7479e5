"""The admin keeps the investigations' walls too: a staff member sees there only the
records of the investigations they belong to. Superusers, who run the instance, see all."""

from investigations.access import scoped, visible_ids
from investigations.models import Role


class InvestigationScopedAdmin:
    """Mix into a ModelAdmin; `investigation_path` leads from its model to the investigation."""

    investigation_path = "investigation"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scoped(queryset, request.user, through=self.investigation_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "investigation" and not request.user.is_superuser:
            # New records go into an investigation the staff member may add to.
            mine = visible_ids(request.user, at_least=Role.RESEARCHER)
            kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
