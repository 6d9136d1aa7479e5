"""The admin for evidence items and their links. Every write goes through
evidence.services (see core.admin): intake and the duplicate rule for new files, the
version check for edits, the review rules for decisions, custody for links."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from claims.admin import ClaimAdmin
from claims.models import Claim
from core.admin import ServiceAdmin, ServiceAdminForm, ServiceSet, ServiceTabularInline
from core.forms import PartialDateField, PartialDateFormMixin
from evidence import intake as pipeline
from evidence import services
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from investigations.access import visible_ids
from investigations.admin_scope import InvestigationScopedAdmin
from investigations.models import Role

REVIEW_FIELDS = ("review_status", "review_note", "media_authenticity")
_RECORD = ("uuid", "created_by", "created", "updated")


class EvidenceItemAdminForm(PartialDateFormMixin, ServiceAdminForm):
    PARTIAL_DATES = ("event", "published")

    event = PartialDateField(label=_("Event date"))
    captured_from = PartialDateField(label=_("Captured from"))
    captured_to = PartialDateField(label=_("Captured to"))
    published = PartialDateField(label=_("Published"))

    intake: pipeline.Intake | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["captured_from"], self.initial["captured_to"] = self.instance.captured

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and not self.instance.pk and cleaned.get("investigation"):
            # A new file goes through the intake here, so that a refusal is a form error.
            try:
                self.intake = pipeline.receive(upload, upload.name)
                services.evidence_duplicate_check(
                    sha256=self.intake.sha256, investigation=cleaned["investigation"]
                )
            except ValidationError as error:
                self.add_error("file", error.message_dict["file"])
        if self.instance.pk and set(self.changed_data) & set(REVIEW_FIELDS):
            try:
                services.evidence_review_check(
                    item=self.instance,
                    by=self.user,
                    status=cleaned.get("review_status", ReviewStatus.PENDING),
                    note=cleaned.get("review_note", ""),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.errors and self.intake is not None:
            # The page comes back with its errors; the received file is not kept.
            self.intake.discard()
            self.intake = None

    def evidence_data(self, names) -> dict:
        data = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        if "captured" in names:
            data["captured"] = (
                self.cleaned_data["captured_from"],
                self.cleaned_data["captured_to"],
            )
        return data


def _item_create(form, obj, *, by, parent):
    return services.evidence_create(
        investigation=form.cleaned_data["investigation"],
        by=by,
        received=form.intake,
        **form.evidence_data(services.EVIDENCE_UPDATABLE),
    )


def _item_update(item, data, *, by, expected_version):
    if "captured_from" in data or "captured_to" in data:
        # The form's two capture fields are one value for the service.
        start, end = item.captured
        data["captured"] = (data.pop("captured_from", start), data.pop("captured_to", end))
    return services.evidence_update(item=item, data=data, by=by, expected_version=expected_version)


# What the change form hands _item_update; the review fields go to the review service.
ITEM_UPDATABLE = (*services.EVIDENCE_UPDATABLE, "captured_from", "captured_to")


def _link_create(form, obj, *, by, parent):
    fields = {name: form.cleaned_data[name] for name in services.LINK_UPDATABLE}
    claim = parent if isinstance(parent, Claim) else form.cleaned_data["claim"]
    item = parent if isinstance(parent, EvidenceItem) else form.cleaned_data["evidence"]
    return services.evidence_link_create(claim=claim, evidence=item, by=by, **fields)


LINK_WRITES = ServiceSet(
    create=_link_create,
    update=lambda link, data, *, by, expected_version: services.evidence_link_update(
        link=link, data=data, by=by
    ),
    delete=lambda link, *, by: services.evidence_link_delete(link=link, by=by),
    updatable=services.LINK_UPDATABLE,
)


class _LinkInline(ServiceTabularInline):
    """Links below an item (the claim chosen) or below a claim (the item chosen)."""

    writes = LINK_WRITES
    model = EvidenceLink
    extra = 0


class LinkInline(_LinkInline):
    fk_name = "evidence"
    autocomplete_fields = ("claim",)
    fields = ("claim", *services.LINK_UPDATABLE)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(InvestigationScopedAdmin, ServiceAdmin):
    writes = ServiceSet(create=_item_create, update=_item_update, updatable=ITEM_UPDATABLE)
    form = EvidenceItemAdminForm
    list_display = ("title", "investigation", "kind", "review_status", "link_count", "created")
    list_filter = (
        "investigation",
        "review_status",
        "processing",
        "kind",
        "location_precision",
        ("provider", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "title",
        "description",
        "url",
        "location_name",
        "original_filename",
        "sha256",
        "uuid",
    )
    list_select_related = ("provider", "investigation")
    autocomplete_fields = ("provider",)
    date_hierarchy = "created"
    inlines = (LinkInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "investigation",
                    "kind",
                    "title",
                    "description",
                    "url",
                    "provider",
                    "is_graphic",
                )
            },
        ),
        (_("File"), {"fields": ("file", "file_summary")}),
        (
            _("Dates"),
            {"fields": ("event", ("captured_from", "captured_to"), "published", "collected_on")},
        ),
        (
            _("Location"),
            {"fields": ("location_name", ("latitude", "longitude"), "location_precision")},
        ),
        (
            _("Review"),
            {
                "fields": (
                    "review_status",
                    "review_note",
                    "media_authenticity",
                    "reviewed_by",
                    "reviewed_at",
                )
            },
        ),
        (_("Record"), {"fields": _RECORD}),
    )

    actions = ("approve_selected", "reject_selected", "ask_for_information_selected")

    def has_review_permission(self, request) -> bool:
        return bool(visible_ids(request.user, at_least=Role.REVIEWER))

    @admin.action(description=_("Approve selected evidence"), permissions=["review"])
    def approve_selected(self, request, queryset):
        return self._review_selected(request, queryset, ReviewStatus.APPROVED, "approve_selected")

    @admin.action(description=_("Reject selected evidence…"), permissions=["review"])
    def reject_selected(self, request, queryset):
        return self._review_selected(request, queryset, ReviewStatus.REJECTED, "reject_selected")

    @admin.action(description=_("Ask for more information on selected…"), permissions=["review"])
    def ask_for_information_selected(self, request, queryset):
        return self._review_selected(
            request, queryset, ReviewStatus.NEEDS_INFO, "ask_for_information_selected"
        )

    def _review_selected(self, request, queryset, status: str, action: str):
        """Review each selected item through the review service, whose rules decide:
        rejecting or asking first asks for the note, and items the service refuses (the
        reviewer's own) are skipped and named."""
        note = request.POST.get("note", "").strip()
        label = ReviewStatus(status).label
        queryset = queryset.select_related("created_by")
        if status in (ReviewStatus.REJECTED, ReviewStatus.NEEDS_INFO) and not note:
            return TemplateResponse(
                request,
                "admin/evidence/review_note.html",
                {
                    **self.admin_site.each_context(request),
                    "title": label,
                    "status_label": label,
                    "queryset": queryset,
                    "action": action,
                    "note": note,
                    "error": _("Write a note first.") if "apply" in request.POST else "",
                },
            )
        done, skipped = [], []
        for item in queryset:
            try:
                services.evidence_review(item=item, by=request.user, status=status, note=note)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
                skipped.append(f"{item.title} ({reason})")
            else:
                done.append(item.title)
        if done:
            self.message_user(
                request,
                _("%(count)d item(s) marked “%(status)s”.") % {"count": len(done), "status": label},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Skipped %(count)d item(s): %(items)s")
                % {"count": len(skipped), "items": "; ".join(skipped)},
                messages.WARNING,
            )
        return None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_links=Count("links"))

    @admin.display(description=_("linked claims"), ordering="_links")
    def link_count(self, obj: EvidenceItem) -> int:
        return obj._links

    @admin.display(description=_("stored file"))
    def file_summary(self, obj: EvidenceItem) -> str:
        if not obj.file:
            return "—"
        return (
            f"{obj.original_filename or '(no name)'} · {filesizeformat(obj.size_bytes or 0)} · "
            f"{obj.media_type or 'type not detected'} · SHA-256 {obj.sha256}"
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["file_summary", "reviewed_by", "reviewed_at", *_RECORD]
        if obj is not None:
            # The original is evidence: once stored it is never replaced; and an item stays
            # in the investigation it was added to.
            readonly.extend(["file", "investigation"])
        if obj is None or not services.can_review(request.user, obj.investigation):
            readonly.extend(REVIEW_FIELDS)
        return readonly

    def get_fieldsets(self, request, obj=None):
        # Show the summary of a stored file, not a link: files are never served from a
        # public URL. A new item shows the upload field instead.
        hidden = "file" if obj is not None else "file_summary"
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != hidden)})
            for name, opts in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(REVIEW_FIELDS):
            # The decision goes through the one review path, after the other changes.
            services.evidence_review(
                item=obj,
                by=request.user,
                status=form.cleaned_data["review_status"],
                note=form.cleaned_data["review_note"],
                authenticity=form.cleaned_data["media_authenticity"],
            )


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(InvestigationScopedAdmin, ServiceAdmin):
    investigation_path = "claim__investigation"
    writes = LINK_WRITES
    list_display = ("evidence", "relation", "strength", "claim", "created_by", "created")
    list_filter = ("relation", "strength")
    search_fields = ("evidence__title", "claim__statement", "rationale")
    list_select_related = ("evidence", "claim", "created_by")
    autocomplete_fields = ("claim", "evidence")
    readonly_fields = ("created_by", "created", "updated")

    def get_fields(self, request, obj=None):
        fields = ("claim", "evidence", *services.LINK_UPDATABLE, *self.readonly_fields)
        return fields

    def get_readonly_fields(self, request, obj=None):
        # A link joins one claim and one item for good; unlink and link again instead.
        fixed = ("claim", "evidence") if obj is not None else ()
        return (*fixed, *self.readonly_fields)


class ClaimLinkInline(_LinkInline):
    fk_name = "claim"
    autocomplete_fields = ("evidence",)
    fields = ("evidence", *services.LINK_UPDATABLE)


class ClaimWithEvidenceAdmin(ClaimAdmin):
    """The claims app's admin, with the claim's evidence links below its statements."""

    inlines = (*ClaimAdmin.inlines, ClaimLinkInline)


admin.site.unregister(Claim)
admin.site.register(Claim, ClaimWithEvidenceAdmin)
