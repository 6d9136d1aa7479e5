"""Claims from a CSV upload: a preview with per-row errors, nothing saved before confirming."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim
from imports.models import WebImport
from imports.web import import_run
from investigations.models import Membership
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
URL = reverse("claims:claim_import_csv")

GOOD = (
    "statement,first_made,verdict,tags,source_outlet,source_url\n"
    "Танки пересекли границу.,June 2014,disputed,Ukraine; NATO,BBC,https://bbc.com/a\n"
    "الدبابات عبرت الحدود,2014,,Ukraine,,\n"
)


def _upload(client, text: str, name: str = "claims.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_preview_then_confirm_then_imported_by_the_task(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    preview = _upload(client, "\ufeff" + GOOD)
    rows = preview.context["rows"]
    assert [(r.line, r.statement, str(r.made), r.verdict, r.errors) for r in rows] == [
        (2, "Танки пересекли границу.", "June 2014", "disputed", []),
        (3, "الدبابات عبرت الحدود", "2014", "unverified", []),
    ]
    assert not Claim.objects.exists()  # a preview saves nothing
    with django_capture_on_commit_callbacks() as queued:
        confirmed = client.post(URL, {"confirm": "1", "token": preview.context["token"]})
    run = WebImport.objects.get()
    assert confirmed.url == reverse("claims:claim_import_status", args=[run.uuid])
    page = client.get(confirmed.url).content.decode()
    state = reverse("claims:claim_import_state", args=[run.uuid])
    assert "Waiting for a worker" in page and f'data-processing-url="{state}"' in page
    assert not Claim.objects.exists()  # the request only recorded what to import

    for callback in queued:  # the worker
        callback()
    assert client.get(state).json()["state"] == "done"
    assert "2 claims imported." in client.get(confirmed.url).content.decode()
    claim = Claim.objects.get(statement="Танки пересекли границу.")
    assert (str(claim.made), claim.verdict) == ("June 2014", "disputed")
    assert sorted(t.name for t in claim.tags.all()) == ["NATO", "Ukraine"]
    assert claim.sources.get().url == "https://bbc.com/a" and claim.created_by == researcher


def test_rows_with_errors_are_shown_and_nothing_is_saved(client, researcher):
    ClaimFactory(statement="Already here.")
    client.force_login(researcher)
    text = (
        "statement,first_made,verdict,source_outlet,source_url\n"
        "A fine claim.,2014-06-12,,,\n"
        ",2014,,,\n"
        "Already here.,,,,\n"
        "Bad date.,Juni 2014,,,\n"
        "Bad verdict.,,maybe,,\n"
        "Bad source.,,,BBC,not a url\n"
    )
    response = _upload(client, text)
    errors = {r.line: r.errors for r in response.context["rows"]}
    assert errors[2] == []
    assert errors[3] == ["The statement is empty."]
    assert errors[4] == ["A claim with this statement already exists."]
    assert "Could not read “Juni 2014”" in errors[5][0]
    assert errors[6] == ["Unknown verdict “maybe”."]
    assert errors[7] == ["“not a url” is not a web address."]
    html = response.content.decode()
    assert "5 of 6 rows need fixing; nothing was saved." in html
    assert 'name="confirm"' not in html  # no way to save a file with errors
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,date\nx,2014\n", "The first row must name the columns, including"),
        (b"statement,colour\nx,red\n", "Unknown column(s): colour."),
        (b"statement\n", "The file has a header row but no claims."),
        (b"\xff\xfe\x00s\x00t", "The file is not UTF-8 text"),
        (b"statement\nx\x00y\n", "The file is not a CSV file"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(client, researcher, content, message):
    client.force_login(researcher)
    response = client.post(URL, {"file": SimpleUploadedFile("x.csv", content)})
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_a_tampered_confirmation_is_refused(client, researcher):
    client.force_login(researcher)
    response = client.post(URL, {"confirm": "1", "token": "forged"})
    assert "The preview expired or was changed" in response.content.decode()
    assert not Claim.objects.exists()


def test_import_needs_permission(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_a_statement_over_the_claims_limit_is_named_on_its_row(client, researcher):
    client.force_login(researcher)
    fits, too_long = "т" * Claim.STATEMENT_MAX_LENGTH, "т" * (Claim.STATEMENT_MAX_LENGTH + 1)
    rows = _upload(client, f"statement\n{fits}\n{too_long}\n").context["rows"]
    assert [r.errors for r in rows] == [[], ["The statement is longer than 500 characters."]]


def test_a_confirmed_import_is_all_or_nothing_and_its_owners_alone(
    client, researcher, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    preview = _upload(client, GOOD)
    with django_capture_on_commit_callbacks() as queued:
        confirmed = client.post(URL, {"confirm": "1", "token": preview.context["token"]})
    # Before the worker gets to it, one row's statement is taken by someone else.
    ClaimFactory(statement="الدبابات عبرت الحدود")
    for callback in queued:
        callback()
    page = client.get(confirmed.url).content.decode()
    assert "Nothing was imported" in page and "no longer valid" in page
    assert not Claim.objects.filter(statement="Танки пересекли границу.").exists()

    client.force_login(reviewer)  # not the one who asked
    assert client.get(confirmed.url).status_code == 404


def test_an_import_whose_owner_lost_access_imports_nothing(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    preview = _upload(client, GOOD)
    with django_capture_on_commit_callbacks():
        client.post(URL, {"confirm": "1", "token": preview.context["token"]})
    run = WebImport.objects.get()
    Membership.objects.filter(user=researcher).update(role="viewer")
    import_run(run.pk)
    run.refresh_from_db()
    assert run.state == "failed" and "no longer add claims" in run.error
    assert not Claim.objects.exists()
    import_run(run.pk)  # delivered again: nothing more happens
    assert WebImport.objects.get().state == "failed"
