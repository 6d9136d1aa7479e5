"""Dossiers: the content of each format for the demo case, the self-verifying ZIP, the PDF's
text, ClaimReview and MediaReview, unreviewed evidence, permissions, streaming, the command
line and the list exports."""

import csv
import io
import json
import subprocess
import tracemalloc
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files import File
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from claims.models import Claim
from claims.services import claim_create
from core.models import HistoryEntry
from dossiers import export
from dossiers.build import build
from evidence.models import CustodyEvent, EvidenceItem
from evidence.services import evidence_create, evidence_link_create, evidence_review
from tests.conftest import join_demo_case
from tests.factories import default_investigation

pytestmark = pytest.mark.django_db

TANKS = "The three unmarked tanks seen in eastern Ukraine on 12 June 2014 came from Russia."


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    join_demo_case()
    return Claim.objects.get(statement=TANKS)


def _get(client, claim, fmt, **params):
    return client.get(reverse("claims:claim_dossier", args=[claim.pk, fmt]), params)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_json_holds_everything(client, researcher, demo):
    client.force_login(researcher)
    data = json.loads(_get(client, demo, "json").content)
    assert data["format"] == "corroborate-dossier" and data["claim"]["uuid"] == str(demo.uuid)
    assert data["claim"]["made"] == {"date": "2014-06", "precision": "month", "text": "June 2014"}
    assert data["claim"]["tags"] == ["NATO", "Russia", "Ukraine"]
    avakov = next(c for c in data["claimants"] if c["name"] == "Arsen Avakov")
    assert avakov["parents"] == ["Ministry of Internal Affairs of Ukraine", "Government of Ukraine"]
    assert {(a["claimant"], a["role"]) for a in data["attributions"]} == {
        ("Arsen Avakov", "originator"), ("NATO", "endorser"), ("United States", "endorser")
    }  # fmt: skip
    assert data["denials"][0]["quote"] == "another fake piece of information"
    titles = sorted(e["title"] for e in data["evidence"])
    assert len(titles) == 4 and all(e["counted"] for e in data["evidence"])  # approved only
    image = next(e for e in data["evidence"] if "11 June" in e["title"])
    assert image["dates"]["captured_from"]["date"] == "2014-06-11"
    assert image["location"]["precision"] == "region" and len(image["file"]["sha256"]) == 64
    assert image["review"]["status"] == "approved"
    assert {(link["relation"], link["strength"]) for link in data["links"]} >= {
        ("supports", "moderate"), ("context", "weak")
    }  # fmt: skip
    assert data["balance"]["supporting"] == 4 and data["balance"]["unreviewed_supporting"] == 2
    assert [h["action"] for h in data["history"]][:1] == ["created"]
    assert data["history_head"] == HistoryEntry.objects.order_by("-seq").first().hash
    assert len(data["media_reviews"]) == 3  # the three approved satellite images


def test_claim_review_has_every_required_and_recommended_field(client, researcher, demo):
    client.force_login(researcher)
    troops = Claim.objects.get(statement__startswith="Russian Army troops")
    review = json.loads(_get(client, troops, "json").content)["claim_review"]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == troops.statement
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1,
        "alternateName": "Under review",
    }  # fmt: skip
    assert review["url"].endswith(f"/claims/{troops.pk}/")
    assert review["author"] == {"@type": "Organization", "name": "Corroborate"}
    assert review["datePublished"] == troops.updated.date().isoformat()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "NATO"}
    assert item["datePublished"] == "2014-11-12"
    bbc = "http://www.bbc.com/news/world-europe-30025138"
    assert [a["url"] for a in item["appearance"]] == [bbc]
    assert item["firstAppearance"]["url"] == bbc


def test_media_review_carries_the_authenticity_category(client, researcher, reviewer, demo):
    video = EvidenceItem.objects.get(title__startswith="Unconfirmed video")
    evidence_review(item=video, by=reviewer, status="approved",
                    authenticity="DecontextualizedContent")  # fmt: skip
    client.force_login(researcher)
    reviews = json.loads(_get(client, demo, "json").content)["media_reviews"]
    media = next(
        r for r in reviews if r["itemReviewed"]["mediaItemAppearance"][0]["@type"] == "VideoObject"
    )
    assert media["@type"] == "MediaReview"
    assert media["mediaAuthenticityCategory"] == "DecontextualizedContent"
    assert media["originalMediaContextDescription"].startswith("Known by description only")


def test_unreviewed_evidence_is_left_out_unless_asked_and_then_marked(client, researcher, demo):
    client.force_login(researcher)
    default = json.loads(_get(client, demo, "json").content)
    assert not default["includes_unreviewed_evidence"]
    assert "Unconfirmed video of a T-64 reportedly in Makiivka, Donetsk" not in [
        e["title"] for e in default["evidence"]
    ]
    full = json.loads(_get(client, demo, "json", unreviewed=1).content)
    unreviewed = [e for e in full["evidence"] if not e["counted"]]
    assert len(unreviewed) == 3 and all(e["review"]["status"] == "pending" for e in unreviewed)
    html = _get(client, demo, "html", unreviewed=1).content.decode()
    assert html.count("UNREVIEWED: pending, not counted in the balance") == 3
    pdf = PdfReader(io.BytesIO(_get(client, demo, "pdf", unreviewed=1).content))
    for page in pdf.pages:  # the running header is on every page
        assert "Includes UNREVIEWED evidence" in page.extract_text()


def test_html_is_self_contained(client, researcher, demo):
    client.force_login(researcher)
    response = _get(client, demo, "html")
    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<script" not in html and "<link" not in html
    assert html.count('src="data:image/jpeg;base64,') == 3
    assert TANKS in html and "another fake piece of information" in html


def test_pdf_text_holds_cyrillic_and_chinese(client, researcher):
    claim = claim_create(
        investigation=default_investigation(),
        statement="Три немаркированных танка пришли из России. 俄罗斯坦克",
        by=researcher,
    )
    client.force_login(researcher)
    response = _get(client, claim, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Три немаркированных танка пришли из России." in text
    assert "俄罗斯坦克" in text


def _extract(data: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(into)
    return into


def test_zip_bundle_verifies_with_sha256sum_and_fails_after_one_changed_byte(
    client, researcher, demo, tmp_path
):
    client.force_login(researcher)
    response = _get(client, demo, "zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="claim-{demo.uuid}.zip"'
    folder = _extract(_body(response), tmp_path / "bundle")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    listed = sorted(
        line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert listed == [f for f in files if f != "SHA256SUMS"]  # every other file, exactly
    assert {"dossier.html", "dossier.pdf", "dossier.json", "README.txt"} <= set(files)
    assert sum(f.startswith("evidence/") for f in files) == 3
    assert "sha256sum -c SHA256SUMS" in (folder / "README.txt").read_text()
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode == 0, check.stdout
    original = next(p for p in (folder / "evidence").rglob("*") if p.is_file())
    data = bytearray(original.read_bytes())
    data[100] ^= 0xFF
    original.write_bytes(bytes(data))
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode != 0
    assert b"FAILED" in check.stdout


def test_every_export_enters_the_custody_log(client, researcher, demo):
    client.force_login(researcher)
    _body(_get(client, demo, "zip"))
    _get(client, demo, "pdf")
    exported = CustodyEvent.objects.filter(action="exported")
    assert exported.filter(detail=f"ZIP of claim #{demo.pk}").count() == 3  # the items with files
    assert exported.filter(detail=f"PDF of claim #{demo.pk}", user=researcher).count() == 3


@pytest.mark.parametrize("fmt", ["html", "pdf", "json", "zip"])
def test_dossiers_need_login_and_a_group(client, outsider, demo, fmt):
    url = reverse("claims:claim_dossier", args=[demo.pk, fmt])
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={quote(url)}"
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_large_evidence_file_streams_without_memory_growth(researcher, tmp_path):
    size = 48 * 1024 * 1024
    big = tmp_path / "big.txt"
    with open(big, "wb") as out:
        line = b"A long text file of intercepted radio traffic.\n" * 20000
        while out.tell() < size:
            out.write(line)
    claim = claim_create(investigation=default_investigation(), statement="Big file", by=researcher)
    with open(big, "rb") as handle:
        item = evidence_create(
            investigation=default_investigation(),
            kind="document",
            title="Radio log",
            file=File(handle, "big.txt"),
            by=researcher,
        )
    evidence_link_create(claim=claim, evidence=item, relation="supports", by=researcher)
    members = export.dossier_members(build(claim.pk, include_unreviewed=True))
    tracemalloc.start()
    sent = sum(len(chunk) for chunk in export.stream_zip(members, exported_by=None))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sent > item.size_bytes >= size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming {size / 1e6:.0f} MB"


def test_export_command_writes_each_format(demo, tmp_path):
    for fmt in ("html", "pdf", "json", "zip"):
        path = tmp_path / f"one.{fmt}"
        call_command("export_dossier", str(demo.uuid), f"--format={fmt}", f"--output={path}",
                     stdout=io.StringIO())  # fmt: skip
        assert path.stat().st_size > 0
    assert json.loads((tmp_path / "one.json").read_text())["claim"]["uuid"] == str(demo.uuid)
    assert zipfile.ZipFile(tmp_path / "one.zip").testzip() is None


def test_export_command_several_claims_into_a_folder(demo, tmp_path, capsys):
    ids = [str(pk) for pk in Claim.objects.values_list("pk", flat=True)]
    call_command("export_dossier", *ids, "--format=json", f"--output={tmp_path / 'out'}")
    assert len(list((tmp_path / "out").glob("claim-*.json"))) == 4
    assert "4/4" in capsys.readouterr().err  # the progress bar


def test_export_command_refuses_an_unknown_claim_before_writing(demo, tmp_path):
    with pytest.raises(CommandError, match="No claim with id or UUID “999999”"):
        call_command("export_dossier", str(demo.pk), "999999", f"--output={tmp_path / 'x'}")
    assert not (tmp_path / "x").exists()
    with pytest.raises(CommandError, match="neither a claim id nor a claim UUID"):
        call_command("export_dossier", "not-a-claim", f"--output={tmp_path / 'y.zip'}")


def test_claim_list_exports_its_filtered_selection_as_csv(client, researcher, demo):
    client.force_login(researcher)
    response = client.get(
        reverse("claims:claim_list_csv"), {"tag": demo.tags.get(name="Russia").pk}
    )
    text = _body(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["statement"] for row in rows} == {
        TANKS,
        "Russian officials have been repeatedly misleading and evasive regarding their roles "
        "in both Crimea and eastern Ukraine.",
    }
    tanks = next(row for row in rows if row["statement"] == TANKS)
    assert (tanks["first_made"], tanks["precision"], tanks["denials"]) == ("2014-06", "month", "1")


def test_claim_list_exports_a_zip_of_dossiers(
    client, researcher, demo, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    url = reverse("claims:claim_list_dossiers") + "?denied=yes"
    count = Claim.objects.filter(denials__isnull=False).distinct().count()
    assert f"<strong>{count} claims</strong> selected" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker's part
        asked = client.post(url)
    page = client.get(asked.url)
    assert "Ready" in page.content.decode()
    response = client.get(asked.url + "download")
    assert response["Content-Disposition"] == 'attachment; filename="dossiers.zip"'
    folder = _extract(_body(response), tmp_path / "all")
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(
        f"claim-{c.uuid}" for c in Claim.objects.filter(denials__isnull=False).distinct()
    )
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode == 0


def test_the_pdf_renderer_fetches_nothing_from_outside():
    with pytest.raises(ValueError, match="load nothing from outside"):
        export._local_only("https://example.org/tracker.png")
    with pytest.raises(ValueError, match="load nothing from outside"):
        export._local_only("file:///etc/passwd")
    assert export._local_only("data:text/plain;base64,aGk=")["file_obj"].read() == b"hi"


def test_a_missing_pdf_renderer_is_explained(client, researcher, demo, monkeypatch):
    def unavailable(dossier):
        raise export.PdfUnavailable("PDF dossiers need the Pango library")

    monkeypatch.setattr(export, "render_pdf", unavailable)
    client.force_login(researcher)
    response = _get(client, demo, "pdf")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "PDF dossiers need the Pango library" in page
