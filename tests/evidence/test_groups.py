"""The Researchers and Reviewers groups hold exactly the permissions the brief gives them."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

RESEARCHER = {
    "claims.add_claim", "claims.change_claim", "claims.view_claim",
    "claims.add_claimant", "claims.change_claimant", "claims.view_claimant",
    "claims.add_tag", "claims.change_tag", "claims.view_tag",
    "claims.add_source", "claims.change_source", "claims.delete_source", "claims.view_source",
    "claims.add_attribution", "claims.change_attribution", "claims.delete_attribution",
    "claims.view_attribution",
    "claims.add_denial", "claims.change_denial", "claims.delete_denial", "claims.view_denial",
    "evidence.add_evidenceitem", "evidence.change_evidenceitem", "evidence.view_evidenceitem",
    "evidence.add_evidencelink", "evidence.change_evidencelink", "evidence.delete_evidencelink",
    "evidence.view_evidencelink",
}  # fmt: skip


def _permissions(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_researchers_hold_exactly_their_permissions():
    assert _permissions("Researchers") == RESEARCHER


def test_reviewers_hold_the_researchers_permissions_plus_review():
    assert _permissions("Reviewers") == RESEARCHER | {"evidence.review_evidenceitem"}


def test_researchers_cannot_review_or_delete_records(researcher, reviewer):
    assert not researcher.has_perm("evidence.review_evidenceitem")
    assert not researcher.has_perm("claims.delete_claim")
    assert not researcher.has_perm("evidence.delete_evidenceitem")
    assert reviewer.has_perm("evidence.review_evidenceitem")
