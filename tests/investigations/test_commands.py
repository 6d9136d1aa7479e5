"""manage.py investigation: create, add-member, remove-member, list; one readable line and
a non-zero exit for bad input."""

import io

import pytest
from django.core.management import CommandError, call_command

from investigations.models import Investigation, Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("investigation", *args, stdout=out)
    return out.getvalue()


def test_create_add_members_change_a_role_and_list():
    UserFactory(username="rita")
    UserFactory(username="lena")
    assert "Created “Makiivka videos” (makiivka)." in _run(
        "create", "makiivka", "--name", "Makiivka videos"
    )
    _run("add-member", "makiivka", "lena", "--role", "lead")
    assert "rita is viewer in makiivka." in _run(
        "add-member", "makiivka", "rita", "--role", "viewer"
    )
    _run("add-member", "makiivka", "rita", "--role", "researcher")
    assert Membership.objects.get(user__username="rita").role == Role.RESEARCHER
    listed = _run("list")
    assert "makiivka: Makiivka videos — lena (lead), rita (researcher)" in listed
    _run("remove-member", "makiivka", "rita")
    assert not Membership.objects.filter(user__username="rita").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-member", "nowhere", "rita", "--role", "viewer"), "No investigation “nowhere”"),
        (("add-member", "makiivka", "nobody", "--role", "viewer"), "No user “nobody”"),
        (("create", "Bad Slug!", "--name", "X"), "Use lower-case letters, digits"),
        (("create", "makiivka", "--name", "Again"), "Another investigation has this short name."),
        (("create", "empty", "--name", "  "), "An investigation needs a name."),
    ],
)
def test_bad_input_gets_one_readable_line(args, message):
    UserFactory(username="rita")
    Investigation.objects.create(name="Makiivka videos", slug="makiivka")
    with pytest.raises(CommandError, match=message) as error:
        _run(*args)
    assert "\n" not in str(error.value)


def test_an_unknown_role_is_refused_by_the_parser(capsys):
    Investigation.objects.create(name="Makiivka videos", slug="makiivka")
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        _run("add-member", "makiivka", "rita", "--role", "boss")
