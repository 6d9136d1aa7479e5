"""Form pieces both apps use."""

from django.db import models


def formfield_callback(db_field: models.Field, **kwargs):
    """Model form fields the way Corroborate wants them: a pasted "bbc.com/..." means https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
