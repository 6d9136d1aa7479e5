"""Nothing of another investigation reaches a member: two investigations hold distinct
marker words; a member of the first follows every link and opens every export and API
list, and never meets the second's words; every id of the second's records answers 404.

Claimants and tags are the instance's shared registry: their names are not secret, so the
markers are kept out of them here.
"""

import io
import json
import re
import zipfile
from collections import deque

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from claims import services as claims
from evidence import services as evidence
from investigations.models import Investigation, Role
from tests import files
from tests.factories import ClaimantFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OURS, THEIRS = "Alphamarker", "Bravomarker"
PAGE_LIMIT = 400


PICTURES = {OURS: files.png(colour=(200, 30, 30)), THEIRS: files.png(colour=(30, 30, 200))}


def _fill(investigation: Investigation, word: str, author, claimant) -> dict:
    """A claim with every kind of part, and an evidence item with a file, all naming `word`."""
    claim = claims.claim_create(
        investigation=investigation,
        statement=f"{word} tanks crossed the border.",
        details=f"{word} details",
        tags=["Ukraine"],
        by=author,
    )
    source = claims.source_create(
        claim=claim, outlet=f"{word} Times", url=f"https://{word.lower()}.example/1", by=author
    )
    claims.attribution_create(
        claim=claim, claimant=claimant, quote=f"{word} said so", source=source, by=author
    )
    denial = claims.denial_create(claim=claim, claimant=claimant, quote=f"{word} fake", by=author)
    item = evidence.evidence_create(
        investigation=investigation,
        kind="photo",
        title=f"{word} column photo",
        description=f"{word} description",
        file=ContentFile(PICTURES[word], name=f"{word}.png"),
        provider=claimant,
        by=author,
    )
    link = evidence.evidence_link_create(
        claim=claim, evidence=item, relation="supports", rationale=f"{word} why", by=author
    )
    return {"claim": claim, "item": item, "denial": denial, "source": source, "link": link}


@pytest.fixture
def two_investigations(investigation, researcher):
    theirs = Investigation.objects.create(name="Their team", slug="their-team")
    outsider = UserFactory(username="bea")
    MembershipFactory(investigation=theirs, user=outsider, role=Role.REVIEWER)
    # One claimant, shared: each investigation records what it said.
    claimant = ClaimantFactory(name="Shared ministry")
    ours = _fill(investigation, OURS, researcher, claimant)
    their = _fill(theirs, THEIRS, outsider, claimant)
    return ours, their, outsider


def _text(name: str, content: bytes) -> str:
    if name.endswith(".pdf") or content.startswith(b"%PDF-"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def _bodies(response) -> list[str]:
    """The text a person or a program gets from a response: ZIP members and PDF text too."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as bundle:
            return [_text(name, bundle.read(name)) for name in bundle.namelist()]
    return [_text("", content)]


def test_a_member_never_meets_another_investigations_words(client, researcher, two_investigations):
    ours, _, _ = two_investigations
    client.force_login(researcher)
    seen, queue, pages = set(), deque(["/"]), 0
    extra = [
        reverse("claims:claim_list_csv"),
        reverse("claims:claimant_list_csv"),
        reverse("evidence:evidence_list_csv"),
        reverse("claims:claim_list_dossiers") + "?unreviewed=1",
        reverse("claims:claim_dossier", args=[ours["claim"].pk, "pdf"]),
        "/api/v1/claims/", "/api/v1/claimants/", "/api/v1/evidence/", "/api/v1/links/",
        "/api/v1/sources/", "/api/v1/attributions/", "/api/v1/denials/", "/api/v1/tags/",
    ]  # fmt: skip
    queue.extend(extra)
    met_ours = read_pdf = False
    while queue and pages < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code != 200:
            continue
        for body in _bodies(response):
            assert THEIRS.lower() not in body.lower(), f"{url} shows the other investigation"
            met_ours = met_ours or OURS in body
            read_pdf = read_pdf or (response["Content-Type"] == "application/pdf" and OURS in body)
            if response.get("Content-Type", "").startswith("text/html"):
                for href in re.findall(r'href="(/[^"#]*)"', body):
                    href = href.replace("&amp;", "&")
                    if not href.startswith(("/admin/", "/accounts/logout", "/static/")):
                        queue.append(href)
    assert met_ours and read_pdf and pages > 30  # the crawl did reach our own records


def test_every_id_of_another_investigation_answers_404(client, researcher, two_investigations):
    _, their, _ = two_investigations
    claim, item, denial, link = their["claim"], their["item"], their["denial"], their["link"]
    client.force_login(researcher)
    urls = [
        reverse("claims:claim_detail", args=[claim.pk]),
        reverse("claims:claim_timeline", args=[claim.pk]),
        reverse("claims:claim_update", args=[claim.pk]),
        reverse("claims:denial_create", args=[claim.pk]),
        reverse("claims:denial_update", args=[claim.pk, denial.pk]),
        reverse("claims:denial_delete", args=[claim.pk, denial.pk]),
        reverse("claims:claim_dossier", args=[claim.pk, "json"]),
        reverse("claims:claim_dossier", args=[claim.pk, "zip"]),
        reverse("history", args=["claim", claim.pk]),
        reverse("history", args=["evidence", item.pk]),
        reverse("evidence:evidence_detail", args=[item.pk]),
        reverse("evidence:evidence_update", args=[item.pk]),
        reverse("evidence:evidence_file", args=[item.pk]),
        reverse("evidence:evidence_thumbnail", args=[item.pk]),
        reverse("evidence:evidence_preview", args=[item.pk]),
        reverse("evidence:link_create", args=[claim.pk]),
        reverse("evidence:link_update", args=[link.pk]),
        reverse("evidence:link_delete", args=[link.pk]),
        reverse("evidence:evidence_create") + f"?claim={claim.pk}",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/evidence/{item.pk}/",
        f"/api/v1/links/{link.pk}/",
        f"/api/v1/denials/{denial.pk}/",
        f"/api/v1/sources/{their['source'].pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Nor can anything be written to them, through the web or the API.
    assert (
        client.post(reverse("claims:denial_delete", args=[claim.pk, denial.pk])).status_code == 404
    )
    token = Token.objects.create(user=researcher).key
    api_headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    patched = client.patch(
        f"/api/v1/claims/{claim.pk}/", json.dumps({"statement": "x"}),
        content_type="application/json", **api_headers,
    )  # fmt: skip
    assert patched.status_code == 404
    linked = client.post(
        "/api/v1/links/",
        json.dumps({"claim": claim.pk, "evidence": item.pk, "relation": "supports"}),
        content_type="application/json",
        **api_headers,
    )
    assert linked.status_code == 400 and "does not exist" in linked.content.decode()


def test_the_same_file_in_another_investigation_says_nothing_of_the_first(
    client, two_investigations
):
    ours, _, outsider = two_investigations
    client.force_login(outsider)
    data = {
        "kind": "photo",
        "title": "Same picture",
        "file": ContentFile(PICTURES[OURS], name="again.png"),  # the first one's file
    }
    response = client.post(reverse("evidence:evidence_create"), data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Evidence added." in html
    assert "already evidence" not in html and OURS not in html
    added = Investigation.objects.get(slug="their-team").evidence_items.get(title="Same picture")
    assert added.sha256 == ours["item"].sha256  # the same bytes, unbeknown to either
