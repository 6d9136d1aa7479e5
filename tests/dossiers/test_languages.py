"""A dossier in the language its exporter chooses: headings, labels and dates translated,
laid out right to left in Arabic; JSON field names and schema.org values in English."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import PreparedDossier
from dossiers.services import dossier_prepare, dossier_request
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(researcher, client):
    client.force_login(researcher)
    return ClaimFactory(statement="Three unmarked tanks came from Russia", verdict="supported")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _get(client, claim, fmt, **params):
    return client.get(reverse("claims:claim_dossier", args=[claim.pk, fmt]), params)


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("uk", ["Баланс доказів", "Заперечення", "Джерела", "Історія", "Як перевірити це досьє"]),
        ("ar", ["ميزان الأدلة", "المصادر", "السجل التاريخي", "التحقق من هذا الملف"]),
    ],
)
def test_the_pdf_has_the_translated_headings(client, claim, language, headings):
    response = _get(client, claim, "pdf", language=language)
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for heading in headings:
        assert heading in text, (heading, text[:500])
    assert "Evidence balance" not in text


def test_the_html_dossier_in_arabic_is_right_to_left(client, claim):
    page = _get(client, claim, "html", language="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "ميزان الأدلة" in page


def test_the_dossier_defaults_to_the_exporters_language(client, claim):
    page = client.get(
        reverse("claims:claim_dossier", args=[claim.pk, "html"]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert '<html lang="ru"' in page and "Баланс доказательств" in page


def test_json_keeps_english_field_names_and_schema_values(client, claim):
    data = json.loads(_get(client, claim, "json", language="uk").content)
    assert data["language"] == "uk"
    assert data["claim"]["verdict"] == "supported"
    assert data["claim"]["verdict_label"] == "Підтверджено"
    assert data["claim_review"]["reviewRating"]["alternateName"] == "Supported by evidence"
    assert {"claim", "sources", "evidence", "links", "history"} <= set(data)


def test_an_unknown_language_falls_back_to_the_exporters(client, claim):
    data = json.loads(_get(client, claim, "json", language="xx").content)
    assert data["language"] == "en"


def test_a_prepared_dossier_is_written_in_the_language_asked_for(researcher, claim, settings):
    prepared = dossier_request(
        by=researcher, kind="pdf", claims=[claim], include_unreviewed=False, label="x",
        language="uk",
    )  # fmt: skip
    assert prepared.language == "uk"
    dossier_prepare(prepared.pk)
    prepared = PreparedDossier.objects.get(pk=prepared.pk)
    with prepared.file.open("rb") as stored:
        assert "Баланс доказів" in _pdf_text(stored.read())


def test_the_claim_page_offers_the_dossiers_language(client, claim):
    page = client.get(reverse("claims:claim_detail", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="uk")
    html = page.content.decode()
    assert 'name="language"' in html and '<option value="uk" lang="uk" selected>' in html


def test_the_zip_bundles_readme_is_in_the_dossiers_language(client, claim):
    response = _get(client, claim, "zip", language="uk")
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    readme = next(n for n in bundle.namelist() if n.endswith("README.txt"))
    text = bundle.read(readme).decode()
    assert text.startswith("Це досьє твердження, експортоване з Corroborate ")
    assert "  dossier.pdf    те саме, для друку\n" in text
    assert "  sha256sum -c SHA256SUMS        (Linux)\n" in text  # commands stay as they are
    assert "Кожен рядок має закінчуватися на «OK»." in text
    assert all(len(line) <= 88 for line in text.splitlines())
