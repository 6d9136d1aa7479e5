from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from claims.admin import ClaimAdmin
from claims.models import Claim
from core.admin import AuthoredAdmin, BaseTabularInline
from core.forms import formfield_callback
from evidence import intake as pipeline
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from evidence.services import (
    can_review,
    evidence_attach_file,
    evidence_review,
    review_check,
)

REVIEW_FIELDS = ("review_status", "review_note", "media_authenticity")


class EvidenceItemAdminForm(forms.ModelForm):
    class Meta:
        model = EvidenceItem
        # The admin narrows this to its fieldsets; declared fields follow the model.
        fields = "__all__"  # noqa: DJ007
        formfield_callback = formfield_callback

    def clean_file(self):
        """New files go through the intake pipeline here, so a refusal is a form error."""
        upload = self.cleaned_data.get("file")
        if not upload or self.instance.pk:
            return upload
        try:
            self.intake = pipeline.receive(upload, upload.name)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        existing = EvidenceItem.objects.filter(sha256=self.intake.sha256).first()
        if existing is not None:
            self.intake.discard()
            raise ValidationError(
                f"This file is already evidence: “{existing.title}” (#{existing.pk}).",
                code="duplicate",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        changed = set(self.changed_data) & set(REVIEW_FIELDS)
        if changed and self.instance.pk:
            try:
                review_check(
                    item=self.instance,
                    reviewer=self.user,
                    status=cleaned.get("review_status", self.instance.review_status),
                    note=cleaned.get("review_note", ""),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


class LinkInline(BaseTabularInline):
    model = EvidenceLink
    fk_name = "evidence"
    extra = 0
    autocomplete_fields = ("claim",)
    fields = ("claim", "relation", "strength", "rationale")


@admin.register(EvidenceItem)
class EvidenceItemAdmin(AuthoredAdmin):
    form = EvidenceItemAdminForm
    list_display = ("title", "kind", "provider", "review_status", "link_count", "created")
    list_filter = (
        "review_status",
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
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)
    date_hierarchy = "created"
    inlines = (LinkInline,)
    fieldsets = (
        (None, {"fields": ("kind", "title", "description", "url", "provider", "is_graphic")}),
        (_("File"), {"fields": ("file", "file_summary")}),
        (
            _("Dates"),
            {
                "fields": (
                    ("event_on", "event_on_precision"),
                    ("captured_from", "captured_to", "captured_precision"),
                    ("published_on", "published_on_precision"),
                    "collected_on",
                )
            },
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
        (_("Record"), {"fields": ("uuid", "created_by", "created", "updated")}),
    )

    actions = ("approve_selected", "reject_selected", "ask_for_information_selected")

    def has_review_permission(self, request) -> bool:
        return can_review(request.user)

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
        """Review each selected item under the same rules as the queue.

        Rejecting or asking for information first asks for the note. Items the reviewer
        added are skipped, and named.
        """
        note = request.POST.get("note", "").strip()
        needs_note = status in (ReviewStatus.REJECTED, ReviewStatus.NEEDS_INFO)
        queryset = queryset.select_related("created_by")
        if needs_note and not note:
            return TemplateResponse(
                request,
                "admin/evidence/review_note.html",
                {
                    **self.admin_site.each_context(request),
                    "title": dict(ReviewStatus.choices)[status],
                    "status_label": dict(ReviewStatus.choices)[status],
                    "queryset": queryset,
                    "action": action,
                    "note": note,
                    "error": _("Write a note first.") if "apply" in request.POST else "",
                },
            )
        done, skipped = [], []
        for item in queryset:
            if item.created_by_id == request.user.pk:
                skipped.append(item.title)
                continue
            evidence_review(item=item, reviewer=request.user, status=status, note=note)
            done.append(item.title)
        if done:
            self.message_user(
                request,
                _("%(count)d item(s) marked “%(status)s”.")
                % {"count": len(done), "status": dict(ReviewStatus.choices)[status]},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Skipped %(count)d item(s) you added yourself, which someone else must "
                  "review: %(titles)s.") % {"count": len(skipped), "titles": "; ".join(skipped)},
                messages.WARNING,
            )  # fmt: skip
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
        readonly = [
            "uuid",
            "file_summary",
            "reviewed_by",
            "reviewed_at",
            *AuthoredAdmin.readonly_fields,
        ]
        if obj is not None:
            # The original is evidence: once stored it is never replaced.
            readonly.append("file")
        if obj is None or not can_review(request.user):
            readonly.extend(REVIEW_FIELDS)
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            # Show the summary, not a link: files are never served from a public URL.
            return [
                (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "file")})
                for name, opts in fieldsets
            ]
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "file_summary")})
            for name, opts in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        received = getattr(form, "intake", None) if not change else None
        review_changed = change and bool(set(form.changed_data) & set(REVIEW_FIELDS))
        if received:
            obj.file = None
        if review_changed:
            # Save the rest first, then record the decision through the one review path.
            new_status, new_note = obj.review_status, obj.review_note
            new_authenticity = obj.media_authenticity
            obj.review_status = form.initial["review_status"]
            obj.review_note = form.initial["review_note"]
            obj.media_authenticity = form.initial["media_authenticity"]
        if received:
            obj.created_by = request.user
            evidence_attach_file(item=obj, intake=received, user=request.user)
        else:
            super().save_model(request, obj, form, change)
        if review_changed:
            evidence_review(
                item=obj,
                reviewer=request.user,
                status=new_status,
                note=new_note,
                authenticity=new_authenticity,
            )


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(AuthoredAdmin):
    list_display = ("evidence", "relation", "strength", "claim", "created_by", "created")
    list_filter = ("relation", "strength")
    search_fields = ("evidence__title", "claim__statement", "rationale")
    list_select_related = ("evidence", "claim", "created_by")
    autocomplete_fields = ("claim", "evidence")


class ClaimLinkInline(BaseTabularInline):
    model = EvidenceLink
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ("evidence",)
    fields = ("evidence", "relation", "strength", "rationale")


class ClaimWithEvidenceAdmin(ClaimAdmin):
    """The claims app's admin, with the claim's evidence links below its statements."""

    inlines = (*ClaimAdmin.inlines, ClaimLinkInline)


admin.site.unregister(Claim)
admin.site.register(Claim, ClaimWithEvidenceAdmin)
