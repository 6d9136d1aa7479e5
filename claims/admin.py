"""The admin for claims, claimants, tags, sources, attributions and denials. Every write
goes through claims.services (see core.admin)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag
from core.admin import ServiceAdmin, ServiceAdminForm, ServiceSet, ServiceTabularInline
from core.forms import PartialDateField, PartialDateFormMixin
from investigations.admin_scope import InvestigationScopedAdmin

_RECORD = ("created_by", "created", "updated")


def _given(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _claim_of(form, parent) -> Claim:
    """The claim a new source or statement belongs to: the page's, inside the claim's own
    admin page, else the one chosen in the form."""
    return parent if isinstance(parent, Claim) else form.cleaned_data["claim"]


# Claims ------------------------------------------------------------------------------------


class ClaimAdminForm(PartialDateFormMixin, ServiceAdminForm):
    PARTIAL_DATES = ("made",)

    made = PartialDateField(label=_("First made"))


def _claim_create(form, obj, *, by, parent):
    fields = _given(form, services.CLAIM_UPDATABLE)
    tags = [tag.name for tag in form.cleaned_data.get("tags", [])]
    return services.claim_create(
        investigation=form.cleaned_data["investigation"], by=by, tags=tags, **fields
    )


def _claim_update(claim, data, *, by, expected_version):
    return services.claim_update(claim=claim, data=data, by=by, expected_version=expected_version)


@admin.register(Claim)
class ClaimAdmin(InvestigationScopedAdmin, ServiceAdmin):
    class Media:
        # The admin's own widths, from a style sheet: the pages allow no inline style.
        css = {"all": ["css/admin.css"]}

    writes = ServiceSet(
        create=_claim_create, update=_claim_update, updatable=services.CLAIM_UPDATABLE
    )
    form = ClaimAdminForm
    list_display = ("statement", "investigation", "made_display", "verdict", "updated")
    list_filter = ("investigation", "verdict", "made_on_precision", "tags")
    search_fields = (
        "statement",
        "details",
        "uuid",
        "sources__outlet",
        "sources__title",
        "sources__url",
    )
    list_select_related = ("investigation",)
    date_hierarchy = "made_on"
    autocomplete_fields = ("tags", "related")
    readonly_fields = ("uuid", *_RECORD)

    def get_readonly_fields(self, request, obj=None):
        # A claim stays in the investigation it was made in.
        return (*self.readonly_fields, "investigation") if obj else self.readonly_fields

    fieldsets = (
        (None, {"fields": ("investigation", "statement", "details", "made", "tags")}),
        (_("Verdict"), {"fields": ("verdict", "verdict_rationale")}),
        (_("Related claims"), {"fields": ("related",)}),
        (_("Record"), {"fields": ("uuid", *_RECORD)}),
    )
    # Sources and statements here; the evidence app adds its links (evidence/admin.py).
    inlines = ()  # set below, once the inlines are defined

    def save_related(self, request, form, formsets, change):
        claim = form.instance
        if change and "tags" in form.changed_data:
            names = [tag.name for tag in form.cleaned_data["tags"]]
            services.claim_tags_set(claim=claim, names=names, by=request.user)
        if "related" in form.changed_data:
            others = form.cleaned_data["related"]
            services.claim_related_set(claim=claim, others=others, by=request.user)
        super().save_related(request, form, formsets, change)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            kwargs["widget"] = forms.TextInput(attrs={"class": "vTextField statement-field"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("first made"), ordering="made_on")
    def made_display(self, obj: Claim) -> str:
        return str(obj.made) if obj.made else "—"


# Sources -----------------------------------------------------------------------------------


def _source_create(form, obj, *, by, parent):
    claim = _claim_of(form, parent)
    return services.source_create(claim=claim, by=by, **_given(form, services.SOURCE_UPDATABLE))


SOURCE_SERVICES = ServiceSet(
    create=_source_create,
    update=lambda source, data, *, by, expected_version: services.source_update(
        source=source, data=data, by=by
    ),
    delete=lambda source, *, by: services.source_delete(source=source, by=by),
    updatable=services.SOURCE_UPDATABLE,
)


class SourceInline(ServiceTabularInline):
    writes = SOURCE_SERVICES
    model = Source
    extra = 0
    fields = services.SOURCE_UPDATABLE


@admin.register(Source)
class SourceAdmin(InvestigationScopedAdmin, ServiceAdmin):
    investigation_path = "claim__investigation"
    writes = SOURCE_SERVICES
    list_display = ("outlet", "title", "url", "published_on", "claim")
    list_filter = ("outlet",)
    search_fields = ("outlet", "title", "url", "archived_url", "claim__statement")
    list_select_related = ("claim",)
    autocomplete_fields = ("claim",)
    date_hierarchy = "published_on"

    def get_readonly_fields(self, request, obj=None):
        # A source stays with its claim.
        return ("claim",) if obj is not None else ()


# Attributions and denials ------------------------------------------------------------------


class StanceAdminForm(PartialDateFormMixin, ServiceAdminForm):
    PARTIAL_DATES = ("stated",)

    stated = PartialDateField(label=_("When"))


class StanceInlineForm(PartialDateFormMixin, forms.ModelForm):
    PARTIAL_DATES = ("stated",)

    stated = PartialDateField(label=_("When"))


def _stance_services(create, update, delete, updatable) -> ServiceSet:
    """Attributions and denials: created on a claim, changed with a version check."""

    def _create(form, obj, *, by, parent):
        return create(claim=_claim_of(form, parent), by=by, **_given(form, updatable))

    return ServiceSet(create=_create, update=update, delete=delete, updatable=updatable)


ATTRIBUTION_SERVICES = _stance_services(
    services.attribution_create,
    lambda attribution, data, *, by, expected_version: services.attribution_update(
        attribution=attribution, data=data, by=by, expected_version=expected_version
    ),
    lambda attribution, *, by: services.attribution_delete(attribution=attribution, by=by),
    services.ATTRIBUTION_UPDATABLE,
)
DENIAL_SERVICES = _stance_services(
    services.denial_create,
    lambda denial, data, *, by, expected_version: services.denial_update(
        denial=denial, data=data, by=by, expected_version=expected_version
    ),
    lambda denial, *, by: services.denial_delete(denial=denial, by=by),
    services.DENIAL_UPDATABLE,
)


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


class AttributionInline(_ClaimSourcesOnly, ServiceTabularInline):
    writes = ATTRIBUTION_SERVICES
    model = Attribution
    form = StanceInlineForm
    extra = 0
    autocomplete_fields = ("claimant",)
    fields = services.ATTRIBUTION_UPDATABLE


class DenialInline(_ClaimSourcesOnly, ServiceTabularInline):
    writes = DENIAL_SERVICES
    model = Denial
    form = StanceInlineForm
    extra = 0
    autocomplete_fields = ("claimant",)
    fields = services.DENIAL_UPDATABLE


ClaimAdmin.inlines = (SourceInline, AttributionInline, DenialInline)


class _StanceAdmin(InvestigationScopedAdmin, ServiceAdmin):
    investigation_path = "claim__investigation"
    form = StanceAdminForm
    list_select_related = ("claimant", "claim", "created_by")
    search_fields = ("claimant__name", "claim__statement", "quote")
    autocomplete_fields = ("claim", "claimant", "source")
    readonly_fields = _RECORD

    def get_readonly_fields(self, request, obj=None):
        # A statement stays with its claim.
        return (*_RECORD, "claim") if obj is not None else _RECORD


@admin.register(Attribution)
class AttributionAdmin(_StanceAdmin):
    writes = ATTRIBUTION_SERVICES
    fields = ("claim", *services.ATTRIBUTION_UPDATABLE, *_RECORD)
    list_display = ("claimant", "role", "claim", "stated_on", "created_by")
    list_filter = ("role",)


@admin.register(Denial)
class DenialAdmin(_StanceAdmin):
    writes = DENIAL_SERVICES
    fields = ("claim", *services.DENIAL_UPDATABLE, *_RECORD)
    list_display = ("claimant", "kind", "claim", "stated_on", "created_by")
    list_filter = ("kind",)


# Claimants and tags ------------------------------------------------------------------------


@admin.register(Claimant)
class ClaimantAdmin(ServiceAdmin):
    writes = ServiceSet(
        create=lambda form, obj, *, by, parent: services.claimant_create(
            by=by, **_given(form, services.CLAIMANT_UPDATABLE)
        ),
        update=lambda claimant, data, *, by, expected_version: services.claimant_update(
            claimant=claimant, data=data, by=by, expected_version=expected_version
        ),
        updatable=services.CLAIMANT_UPDATABLE,
    )
    list_display = ("name", "kind", "parent", "country", "claim_count", "updated")
    list_filter = ("kind", "country")
    search_fields = ("name", "aliases", "description", "country")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fields = (*services.CLAIMANT_UPDATABLE, *_RECORD)
    readonly_fields = _RECORD

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
class TagAdmin(ServiceAdmin):
    writes = ServiceSet(
        create=lambda form, obj, *, by, parent: services.tag_create(name=form.cleaned_data["name"]),
        update=lambda tag, data, *, by, expected_version: services.tag_update(
            tag=tag, name=data.get("name", tag.name)
        ),
        delete=lambda tag, *, by: services.tag_delete(tag=tag),
        updatable=("name",),
    )
    list_display = ("name", "claim_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claims=Count("claims"))

    @admin.display(description=_("claims"), ordering="_claims")
    def claim_count(self, obj: Tag) -> int:
        return obj._claims
