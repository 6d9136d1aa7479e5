"""FastSelect: the same drop-down as Django's own Select, written out without a template
per option."""

import re

import pytest
from django import forms

from claims.models import Tag
from core.filters import FastSelect
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[tuple[str, str, bool]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, label, bool(selected)) for value, selected, label in found]


@pytest.mark.parametrize("chosen", [None, "", "second"])
def test_it_writes_the_options_django_would(chosen):
    tags = [TagFactory(name=name) for name in ["Ukraine", 'Quote "and" <tag>', "Россия", "الناتو"]]
    value = str(tags[1].pk) if chosen == "second" else chosen
    field = forms.ModelChoiceField(queryset=Tag.objects.order_by("name"), empty_label="Any")
    theirs = forms.Select(choices=field.choices).render("tag", value, {"id": "id_tag"})
    ours = FastSelect(choices=field.choices).render("tag", value, {"id": "id_tag"})
    assert _options(ours) == _options(theirs)
    assert len(_options(ours)) == 5 and "&lt;tag&gt;" in ours and "<tag>" not in ours
    assert ours.startswith('<select name="tag" id="id_tag">')
    selected = [option[0] for option in _options(ours) if option[2]]
    assert selected == ([value] if chosen == "second" else [""])  # "Any" when none is chosen
