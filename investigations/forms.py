"""Form pieces for records that belong to an investigation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from investigations.models import Investigation
from investigations.selectors import sole_writable_investigation, writable_investigations


class InvestigationChoiceMixin:
    """A create form asks which investigation the new record goes into: one the user may
    add to, the current one preselected. It asks nothing when editing, when the page
    already says (evidence for a claim), or when the user may add to one investigation
    only: a record stays where it was made."""

    def __init__(
        self,
        *args,
        user=None,
        current: Investigation | None = None,
        fixed: Investigation | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fixed_investigation = fixed or (
            instance.investigation if instance is not None and instance.pk else None
        )
        if self.fixed_investigation is None and user is not None:
            self.fixed_investigation = sole_writable_investigation(user)
        if self.fixed_investigation is not None:
            return
        choices = writable_investigations(user)
        self.fields["investigation"] = forms.ModelChoiceField(
            label=_("Investigation"),
            queryset=choices,
            help_text=_("Who will see it: the members of this investigation."),
        )
        if current is not None:
            self.initial.setdefault("investigation", current.pk)
        self.order_fields(["investigation", *self.fields])

    @property
    def investigation(self) -> Investigation:
        return self.fixed_investigation or self.cleaned_data["investigation"]
