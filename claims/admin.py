from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag
from claims.services import CLAIM_MANY
from core import history
from core.admin import AuthoredAdmin, BaseAdmin, BaseTabularInline, HistoryAdmin


class _ClaimSourcesOnly:
    """Offer only this claim's own sources in an inline's source picker."""

    def get_formset(self, request, obj=None, **kwargs):
        self._parent_claim = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            claim = getattr(self, "_parent_claim", None)
            kwargs["queryset"] = (
                Source.objects.filter(claim=claim) if claim else Source.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SourceInline(BaseTabularInline):
    model = Source
    extra = 0
    fields = ("outlet", "url", "title", "published_on", "archived_url")


class AttributionInline(_ClaimSourcesOnly, BaseTabularInline):
    model = Attribution
    extra = 0
    autocomplete_fields = ("claimant",)
    fields = ("claimant", "role", "stated_on", "stated_on_precision", "quote", "source")


class DenialInline(_ClaimSourcesOnly, BaseTabularInline):
    model = Denial
    extra = 0
    autocomplete_fields = ("claimant",)
    fields = ("claimant", "kind", "stated_on", "stated_on_precision", "quote", "source")


@admin.register(Claim)
class ClaimAdmin(AuthoredAdmin):
    list_display = ("statement", "made_display", "verdict", "created_by", "updated")
    list_filter = ("verdict", "made_on_precision", "tags")
    search_fields = (
        "statement",
        "details",
        "uuid",
        "sources__outlet",
        "sources__title",
        "sources__url",
    )
    list_select_related = ("created_by",)
    date_hierarchy = "made_on"
    autocomplete_fields = ("tags", "related")
    readonly_fields = ("uuid", *AuthoredAdmin.readonly_fields)
    fieldsets = (
        (None, {"fields": ("statement", "details", ("made_on", "made_on_precision"), "tags")}),
        (_("Verdict"), {"fields": ("verdict", "verdict_rationale")}),
        (_("Related claims"), {"fields": ("related",)}),
        (_("Record"), {"fields": ("uuid", "created_by", "created", "updated")}),
    )
    # The evidence app adds its links here (evidence/admin.py).
    inlines = (SourceInline, AttributionInline, DenialInline)

    def save_related(self, request, form, formsets, change):
        # Tags and related claims are saved after the claim itself: record them here.
        claim = form.instance
        before = history.snapshot(claim, many=CLAIM_MANY)
        super().save_related(request, form, formsets, change)
        history.record(
            instance=claim,
            user=request.user,
            before=before,
            after=history.snapshot(claim, many=CLAIM_MANY),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            kwargs["widget"] = forms.TextInput(
                attrs={"class": "vTextField", "style": "width: 40em; max-width: 100%"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("first made"), ordering="made_on")
    def made_display(self, obj: Claim) -> str:
        return str(obj.made) if obj.made else "—"


@admin.register(Claimant)
class ClaimantAdmin(AuthoredAdmin):
    list_display = ("name", "kind", "parent", "country", "claim_count", "updated")
    list_filter = ("kind", "country")
    search_fields = ("name", "aliases", "description", "country")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fields = (
        "name",
        "kind",
        "parent",
        "aliases",
        "country",
        "description",
        "created_by",
        "created",
        "updated",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_claims=Count("attributions__claim", distinct=True))
        )

    @admin.display(description=_("claims"), ordering="_claims")
    def claim_count(self, obj: Claimant) -> int:
        return obj._claims


@admin.register(Tag)
class TagAdmin(BaseAdmin):
    list_display = ("name", "claim_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claims=Count("claims"))

    @admin.display(description=_("claims"), ordering="_claims")
    def claim_count(self, obj: Tag) -> int:
        return obj._claims


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("outlet", "title", "url", "published_on", "claim")
    list_filter = ("outlet",)
    search_fields = ("outlet", "title", "url", "archived_url", "claim__statement")
    list_select_related = ("claim",)
    autocomplete_fields = ("claim",)
    date_hierarchy = "published_on"


@admin.register(Attribution)
class AttributionAdmin(AuthoredAdmin):
    list_display = ("claimant", "role", "claim", "stated_on", "created_by")
    list_filter = ("role",)
    search_fields = ("claimant__name", "claim__statement", "quote")
    list_select_related = ("claimant", "claim", "created_by")
    autocomplete_fields = ("claim", "claimant", "source")


@admin.register(Denial)
class DenialAdmin(AuthoredAdmin):
    list_display = ("claimant", "kind", "claim", "stated_on", "created_by")
    list_filter = ("kind",)
    search_fields = ("claimant__name", "claim__statement", "quote")
    list_select_related = ("claimant", "claim", "created_by")
    autocomplete_fields = ("claim", "claimant", "source")
