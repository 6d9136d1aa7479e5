"""Forms of working together: they check shape; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teamwork.models import Alert, Comment, Delivery, Kind, SavedSearch, SearchTarget


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        # The service refuses longer text with a message; the browser warns first.
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": Comment.MAX_LENGTH, "data-mentions": "", "dir": "auto"}
        ),
        help_text=_(
            "Markdown: *emphasis*, **bold**, [links](https://…), lists, > quotes. "
            "Type @ and a name to mention a member."
        ),
        strip=False,
    )


class AssignForm(forms.Form):
    user = forms.CharField(label=_("Assign to"), max_length=150)


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "alert"]
        labels = {"name": _("Name")}

    # A choice of every alert, "none" included (the model field's blank choice is not one).
    alert = forms.ChoiceField(
        label=_("Alert me of new matches"), choices=Alert.choices, required=False
    )


class SaveSearchForm(SavedSearchForm):
    """Saving a list's filters from the list page."""

    target = forms.ChoiceField(choices=SearchTarget.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class DeliveryForm(forms.Form):
    """How each kind of notification reaches the person: one choice per kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            if kind == Kind.SEARCH:
                continue  # each saved search says how its alerts come
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current[kind.value],
                widget=forms.RadioSelect,
            )
