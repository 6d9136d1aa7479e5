"""Form pieces both apps use."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from core.dates import PartialDate


def formfield_callback(db_field: models.Field, **kwargs):
    """Model form fields the way Corroborate wants them: a pasted "bbc.com/..." means https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PartialDateField(forms.Field):
    """One text box for a date known to the day, the month or the year."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "%(message)s"}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "12 June 2014, June 2014 or 2014")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "e.g. June 2014")
        self.widget.attrs.setdefault("maxlength", "40")

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return str(value)
        return value

    def to_python(self, value) -> PartialDate | None:
        if isinstance(value, PartialDate):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"message": str(error)}
            ) from None


class PartialDateFormMixin:
    """For model forms whose PartialDateFields bear the names of the model's PartialDate
    attributes (PARTIAL_DATES, e.g. ("made",)): filled from the record, read back as
    PartialDate values for the services."""

    PARTIAL_DATES: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            for name in self.PARTIAL_DATES:
                self.initial.setdefault(name, getattr(instance, name))

    def partial_date_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.PARTIAL_DATES}


_TEXT_WIDGETS = (forms.TextInput, forms.Textarea, forms.URLInput, forms.EmailInput)


class WorkbenchFormMixin:
    """What every workbench form does: text in any script is typed in its own direction
    (dir="auto" lets Arabic run right to left), and a pasted "bbc.com/..." means https."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, _TEXT_WIDGETS) and not isinstance(
                field.widget, forms.HiddenInput
            ):
                field.widget.attrs.setdefault("dir", "auto")


def formset_actions(formset):
    """(action, form) for each form of a valid model formset that asks for a write.

    Untouched extra forms are skipped; action is "create", "update" or "delete".
    """
    for form in formset.forms:
        is_new = form.instance.pk is None
        if formset.can_delete and formset._should_delete_form(form):
            if not is_new:
                yield "delete", form
        elif is_new:
            if form.has_changed():
                yield "create", form
        elif form.has_changed():
            yield "update", form


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form fields it names (others at the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
