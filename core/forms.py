"""Form pieces both apps use."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from core.dates import DatePrecision, PartialDate


def formfield_callback(db_field: models.Field, **kwargs):
    """Model form fields the way Corroborate wants them: a pasted "bbc.com/..." means https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def parse_partial_date(text: str) -> PartialDate:
    """Read "2014", "2014-06", "2014-06-12", "June 2014" or "12 June 2014".

    Raises ValueError with a message fit to show beside the field.
    """
    value = " ".join(text.replace(",", " ").split())
    try:
        if re.fullmatch(r"\d{4}", value):
            return PartialDate(datetime.date(int(value), 1, 1), DatePrecision.YEAR)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            year, month = map(int, match.groups())
            return PartialDate(datetime.date(year, month, 1), DatePrecision.MONTH)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
            return PartialDate(datetime.date(*map(int, match.groups())), DatePrecision.DAY)
        if match := re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", value):
            month = _MONTHS.get(match.group(1).lower())
            if month:
                return PartialDate(
                    datetime.date(int(match.group(2)), month, 1), DatePrecision.MONTH
                )
        if match := re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", value):
            month = _MONTHS.get(match.group(2).lower())
            if month:
                day, year = int(match.group(1)), int(match.group(3))
                return PartialDate(datetime.date(year, month, day), DatePrecision.DAY)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date.") from None
    raise ValueError(
        f"Could not read “{text}”: write 2014, June 2014 (or 2014-06), or 12 June 2014."
    )


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
            return parse_partial_date(text)
        except ValueError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"message": str(error)}
            ) from None


class PartialDateFormMixin:
    """Binds PartialDateFields to (date, precision) model field pairs.

    PARTIAL_DATE_FIELDS maps a form field name to its model fields, e.g.
    {"made": ("made_on", "made_on_precision")}.
    """

    PARTIAL_DATE_FIELDS: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return
        for form_field, (date_field, precision_field) in self.PARTIAL_DATE_FIELDS.items():
            value = getattr(instance, date_field)
            if value is not None:
                self.initial[form_field] = PartialDate(value, getattr(instance, precision_field))

    def partial_date_data(self) -> dict:
        """The model values the partial-date fields stand for, from cleaned_data."""
        data = {}
        for form_field, (date_field, precision_field) in self.PARTIAL_DATE_FIELDS.items():
            value = self.cleaned_data.get(form_field)
            data[date_field] = value.value if value else None
            data[precision_field] = value.precision if value else DatePrecision.DAY
        return data


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
