"""Forms for evidence items and their links to claims."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Claimant
from core.concurrency import ConflictCheckedForm
from core.forms import (
    PartialDateField,
    PartialDateFormMixin,
    WorkbenchFormMixin,
    formfield_callback,
)
from evidence.models import EvidenceItem, EvidenceLink, MediaAuthenticity, ReviewStatus
from evidence.services import EVIDENCE_UPDATABLE
from investigations.forms import InvestigationChoiceMixin

# The model fields the form edits as they are; the dates are PartialDateFields below.
_MODEL_FIELDS = [f for f in EVIDENCE_UPDATABLE if f not in ("event", "captured", "published")]


class EvidenceForm(
    InvestigationChoiceMixin,
    WorkbenchFormMixin,
    PartialDateFormMixin,
    ConflictCheckedForm,
    forms.ModelForm,
):
    PARTIAL_DATES = ("event", "published")

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("The original is stored byte for byte and never altered."),
    )
    # Set by the page's script after it has sent a large file in resumable parts
    # (evidence/resumable.py); the file field is then left empty.
    upload = forms.UUIDField(required=False, widget=forms.HiddenInput)
    event = PartialDateField(label=_("Event date"), help_text=_("When what it shows happened."))
    captured_from = PartialDateField(
        label=_("Captured from"), help_text=_("When it was recorded (start).")
    )
    captured_to = PartialDateField(
        label=_("Captured to"), help_text=_("End of the capture range, if known.")
    )
    published = PartialDateField(label=_("Published"), help_text=_("When it was made public."))

    class Meta:
        model = EvidenceItem
        fields = _MODEL_FIELDS
        formfield_callback = formfield_callback
        widgets = {
            "title": forms.TextInput(attrs={"class": "wide"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "collected_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "collected_on": _("When we got hold of it."),
            "provider": _("Who supplied or published it."),
        }

    field_order = [
        "kind",
        "title",
        "description",
        "file",
        "url",
        "provider",
        "event",
        "captured_from",
        "captured_to",
        "published",
        "collected_on",
    ]

    GROUPS = (
        (_("The item"), ("kind", "title", "description", "file", "url", "provider", "is_graphic")),
        (_("Dates"), ("event", "captured_from", "captured_to", "published", "collected_on")),
        (_("Location"), ("location_name", "latitude", "longitude", "location_precision")),
    )

    def groups(self):
        """(legend, bound fields) for each fieldset of the page."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Claimant.objects.order_by("name")
        if self.instance.pk:
            # The stored original is evidence: it is never replaced through an edit.
            del self.fields["file"]
            self.initial["captured_from"], self.initial["captured_to"] = self.instance.captured
            self.start_from(self.instance)

    def evidence_data(self) -> dict:
        """What the services take; the capture range's rules are the model's (clean())."""
        data = {field: self.cleaned_data[field] for field in _MODEL_FIELDS}
        data["captured"] = (self.cleaned_data["captured_from"], self.cleaned_data["captured_to"])
        return data | self.partial_date_data()

    def snapshot_of(self, item: EvidenceItem) -> dict[str, str]:
        start, end = item.captured
        return {
            "Kind": item.get_kind_display(),
            "Title": item.title,
            "Description": item.description,
            "URL": item.url,
            "Provider": str(item.provider or ""),
            "Event date": str(item.event or ""),
            "Captured": " – ".join(str(d) for d in (start, end) if d),
            "Published": str(item.published or ""),
            "Collected on": str(item.collected_on or ""),
            "Location": item.location_name,
            "Coordinates": (
                f"{item.latitude}, {item.longitude}" if item.latitude is not None else ""
            ),
            "Location precision": item.get_location_precision_display(),
            "Graphic content": "yes" if item.is_graphic else "no",
        }


class LinkForm(WorkbenchFormMixin, forms.ModelForm):
    class Meta:
        model = EvidenceLink
        fields = ["relation", "strength", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"rationale": _("Why this item bears on the claim, in a sentence.")}


class ReviewForm(WorkbenchFormMixin, forms.Form):
    DECISIONS = [
        (ReviewStatus.APPROVED, _("Approve")),
        (ReviewStatus.REJECTED, _("Reject")),
        (ReviewStatus.NEEDS_INFO, _("Ask for more information")),
    ]

    status = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject or to ask for more information."),
    )
    authenticity = forms.ChoiceField(
        label=_("Media authenticity"),
        required=False,
        choices=[("", _("Not assessed")), *MediaAuthenticity.choices],
        help_text=_("For images and video: published as schema.org MediaReview in dossiers."),
    )
