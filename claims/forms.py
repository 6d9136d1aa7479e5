"""Forms of the researchers' workbench for claims, claimants and denials."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag
from claims.selectors import claim_for_edit
from claims.services import ATTRIBUTION_UPDATABLE, SOURCE_UPDATABLE
from core.concurrency import ConflictCheckedForm
from core.forms import (
    PartialDateField,
    PartialDateFormMixin,
    WorkbenchFormMixin,
    formfield_callback,
)
from investigations.forms import InvestigationChoiceMixin


def _lines(items) -> str:
    return "\n".join(str(item) for item in items)


class ClaimForm(
    InvestigationChoiceMixin,
    WorkbenchFormMixin,
    PartialDateFormMixin,
    ConflictCheckedForm,
    forms.ModelForm,
):
    PARTIAL_DATES = ("made",)

    made = PartialDateField(label=_("First made"))
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas; a new tag is created when you save."),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )

    related = forms.ModelMultipleChoiceField(
        label=_("Related claims"),
        queryset=Claim.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Claim
        fields = ["statement", "details", "verdict", "verdict_rationale"]
        formfield_callback = formfield_callback
        widgets = {
            "statement": forms.TextInput(attrs={"class": "wide"}),
            "details": forms.Textarea(attrs={"rows": 4}),
            "verdict_rationale": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "statement",
        "details",
        "made",
        "tags",
        "verdict",
        "verdict_rationale",
        "related",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Related claims come from the same investigation (or, for a new claim, from those
        # the user may add to).
        others = Claim.objects.only("pk", "statement").order_by("statement")
        if self.fixed_investigation is not None:
            others = others.filter(investigation=self.fixed_investigation)
        else:
            others = others.filter(investigation__in=self.fields["investigation"].queryset)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
            self.initial["related"] = list(self.instance.related.all())
            self.start_from(self.instance)
        self.fields["related"].queryset = others

    def clean_tags(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data["tags"].split(",")]
        seen, unique = set(), []
        for name in names:
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                unique.append(name)
        too_long = [n for n in unique if len(n) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(_("Keep each tag under 100 characters."), code="long")
        return unique

    def claim_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self._meta.fields}
        return data | self.partial_date_data()

    def conflict_record(self, current: Claim) -> Claim:
        # The report compares tags, related claims, sources and attributions too.
        return claim_for_edit(current.pk)

    def snapshot_of(self, claim: Claim) -> dict[str, str]:
        return {
            "Statement": claim.statement,
            "Details": claim.details,
            "First made": str(claim.made or ""),
            "Tags": ", ".join(sorted(t.name for t in claim.tags.all())),
            "Verdict": claim.get_verdict_display(),
            "Verdict rationale": claim.verdict_rationale,
            "Related claims": _lines(sorted(c.statement for c in claim.related.all())),
            "Sources": _lines(claim.sources.all()),
            "Attributions": _lines(
                f"{a.claimant} ({a.get_role_display()})"
                for a in claim.attributions.select_related("claimant")
            ),
        }


# The attribution fields edited as they are; its date is the PartialDateField "stated".
_ATTRIBUTION_MODEL_FIELDS = tuple(f for f in ATTRIBUTION_UPDATABLE if f != "stated")


class SourceForm(WorkbenchFormMixin, forms.ModelForm):
    class Meta:
        model = Source
        # A tuple: inline formsets append the foreign key to a list of fields in place.
        fields = SOURCE_UPDATABLE
        formfield_callback = formfield_callback
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}

    def source_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in SOURCE_UPDATABLE}


SourceFormSet = inlineformset_factory(
    Claim, Source, form=SourceForm, extra=1, can_delete=True, min_num=0
)


def statement_choices(claim: Claim | None) -> dict[str, list]:
    """Claimant and source choices, built once and shared by every form on a page: each
    form of a formset would otherwise run its own query for each drop-down."""
    empty = [("", "---------")]
    sources = (
        [(s.pk, str(s)) for s in Source.objects.filter(claim=claim)] if claim and claim.pk else []
    )
    claimants = Claimant.objects.order_by("name").values_list("pk", "name")
    return {"claimant": empty + list(claimants), "source": empty + sources}


class _ClaimSourceChoice(forms.ModelForm):
    """The source picker offers only the claim's own sources."""

    def __init__(self, *args, claim: Claim | None = None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        claim = claim or getattr(self.instance, "claim", None)
        sources = (
            Source.objects.filter(claim=claim) if claim and claim.pk else Source.objects.none()
        )
        self.fields["source"].queryset = sources
        self.fields["source"].help_text = _("One of the claim's sources, once saved.")
        if choices is not None:
            # Rendering uses these; validation still checks against the querysets.
            self.fields["claimant"].choices = choices["claimant"]
            self.fields["source"].choices = choices["source"]


class AttributionForm(WorkbenchFormMixin, PartialDateFormMixin, _ClaimSourceChoice):
    PARTIAL_DATES = ("stated",)

    stated = PartialDateField(label=_("When"))

    class Meta:
        model = Attribution
        fields = _ATTRIBUTION_MODEL_FIELDS
        widgets = {"quote": forms.Textarea(attrs={"rows": 2})}

    field_order = ["claimant", "role", "stated", "quote", "source"]

    def attribution_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in _ATTRIBUTION_MODEL_FIELDS}
        return data | self.partial_date_data()


AttributionFormSet = inlineformset_factory(
    Claim, Attribution, form=AttributionForm, extra=1, can_delete=True, min_num=0
)


class DenialForm(WorkbenchFormMixin, PartialDateFormMixin, ConflictCheckedForm, _ClaimSourceChoice):
    PARTIAL_DATES = ("stated",)

    stated = PartialDateField(label=_("When"))

    class Meta:
        model = Denial
        fields = ["claimant", "kind", "quote", "source"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}

    field_order = ["claimant", "kind", "stated", "quote", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.start_from(self.instance)

    def denial_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self._meta.fields}
        return data | self.partial_date_data()

    def snapshot_of(self, denial: Denial) -> dict[str, str]:
        return {
            "Claimant": str(denial.claimant),
            "Kind": denial.get_kind_display(),
            "When": str(denial.stated or ""),
            "Verbatim quote": denial.quote,
            "Source": str(denial.source or ""),
        }


class ClaimantForm(WorkbenchFormMixin, ConflictCheckedForm, forms.ModelForm):
    class Meta:
        model = Claimant
        fields = ["name", "kind", "parent", "aliases", "country", "description"]
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Claimant.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.start_from(self.instance)
        self.fields["parent"].queryset = parents

    def claimant_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self._meta.fields}

    def snapshot_of(self, claimant: Claimant) -> dict[str, str]:
        return {
            "Name": claimant.name,
            "Kind": claimant.get_kind_display(),
            "Parent organisation": str(claimant.parent or ""),
            "Aliases": claimant.aliases,
            "Country": claimant.country,
            "Description": claimant.description,
        }
