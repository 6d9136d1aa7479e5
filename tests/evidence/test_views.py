import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from evidence.models import EvidenceItem, EvidenceLink
from tests import files
from tests.factories import ClaimantFactory, ClaimFactory, EvidenceItemFactory, EvidenceLinkFactory

pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (90, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (47.0, 14.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _evidence_post(**fields) -> dict:
    data = {"kind": "photo", "title": "Tank column", "description": "", "url": "", "provider": "",
            "event": "", "captured_from": "", "captured_to": "", "published": "",
            "collected_on": "", "location_name": "", "latitude": "", "longitude": "",
            "location_precision": ""}  # fmt: skip
    return data | fields


def test_add_evidence_with_an_image_makes_a_thumbnail_without_exif(client, researcher):
    client.force_login(researcher)
    payload = _jpeg_with_gps()
    with Image.open(io.BytesIO(payload)) as original:
        assert original.getexif()[0x010F] == "TestCam"  # the upload does carry EXIF
    response = client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(
            file=SimpleUploadedFile("column.jpg", payload, content_type="image/jpeg"),
            captured_from="30 May 2014",
            captured_to="11 June 2014",
        ),
        follow=True,
    )
    item = EvidenceItem.objects.get()
    assert "Evidence added. It is pending review." in response.content.decode()
    assert item.original_filename == "column.jpg" and item.size_bytes == len(payload)
    assert [str(d) for d in item.captured] == ["30 May 2014", "11 June 2014"]
    thumbnail = client.get(reverse("evidence:evidence_thumbnail", args=[item.pk]))
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(thumbnail.content)) as preview:
        assert max(preview.size) <= 480
        assert not preview.getexif()  # no camera, no GPS
    with item.file.open("rb") as stored:
        assert stored.read() == payload  # the original is untouched


def test_html_upload_is_refused_on_the_file_field(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(file=SimpleUploadedFile("page.jpg", files.HTML_AS_JPEG, "image/jpeg")),
    )
    assert "this one is an HTML document" in response.context["form"].errors["file"][0]
    assert not EvidenceItem.objects.exists()


def test_original_is_downloaded_as_an_attachment_never_inline(client, researcher):
    client.force_login(researcher)
    text = "Заявление: «фейк».\n".encode()
    client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(kind="document", file=SimpleUploadedFile("statement.txt", text)),
    )
    item = EvidenceItem.objects.get()
    response = client.get(reverse("evidence:evidence_file", args=[item.pk]))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="statement.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == text


def test_add_evidence_and_link_it_in_one_step(client, researcher):
    claim = ClaimFactory()
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:evidence_create") + f"?claim={claim.pk}",
        _evidence_post(
            claim=claim.pk,
            **{"link-relation": "contradicts", "link-strength": "strong", "link-rationale": "Why"},
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("claims:claim_detail", args=[claim.pk])
    assert "Evidence added and linked as contradicts." in response.content.decode()
    link = EvidenceLink.objects.get()
    assert (link.claim, link.relation, link.strength) == (claim, "contradicts", "strong")
    assert [lk.evidence.title for lk in response.context["contradicting"]] == ["Tank column"]


def test_link_errors_keep_item_and_link_unwritten(client, researcher):
    claim = ClaimFactory()
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:evidence_create") + f"?claim={claim.pk}",
        _evidence_post(claim=claim.pk, **{"link-relation": "", "link-strength": "strong"}),
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not EvidenceItem.objects.exists() and not EvidenceLink.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"captured_from": "11 June 2014", "captured_to": "30 May 2014"}, "captured_to",
         "The capture range must not end before it starts."),
        ({"captured_from": "June 2014", "captured_to": "12 June 2014"}, "captured_to",
         "Give both ends of the capture range to the same precision."),
        ({"captured_to": "2014"}, "captured_from", "Give the start of the capture range too."),
        ({"latitude": "47.2"}, None, "Give both latitude and longitude, or neither."),
        ({"latitude": "91", "longitude": "10"}, None,
         "Latitude must be between -90 and 90 degrees."),
    ],
)  # fmt: skip
def test_evidence_form_refuses_bad_dates_and_places(client, researcher, fields, field, message):
    client.force_login(researcher)
    response = client.post(reverse("evidence:evidence_create"), _evidence_post(**fields))
    form = response.context["form"]
    errors = form.errors.get(field, []) if field else form.non_field_errors()
    assert message in errors
    assert not EvidenceItem.objects.exists()


def test_evidence_edit_collision(client, researcher):
    item = EvidenceItemFactory(title="Original")
    url = reverse("evidence:evidence_update", args=[item.pk])
    client.force_login(researcher)
    form = client.get(url).context["form"]
    assert "file" not in form.fields  # the stored original cannot be replaced
    stale = {"version": form.initial["version"], "snapshot": form.initial["snapshot"]}
    assert client.post(url, _evidence_post(title="First edit", **stale)).status_code == 302
    response = client.post(url, _evidence_post(title="Second edit", **stale))
    changes = {c.label: (c.before, c.after) for c in response.context["form"].conflict_changes}
    assert changes["Title"] == ("Original", "First edit")
    item.refresh_from_db()
    assert item.title == "First edit"


def test_link_an_existing_item_found_with_the_picker(client, researcher):
    claim = ClaimFactory()
    wanted = EvidenceItemFactory(title="Спутниковый снимок")
    EvidenceItemFactory(title="Something else")
    already = EvidenceLinkFactory(claim=claim).evidence
    client.force_login(researcher)
    url = reverse("evidence:link_create", args=[claim.pk])
    candidates = client.get(url, {"q": "СПУТНИКОВЫЙ"}).context["candidates"]
    assert list(candidates) == [wanted]
    assert already not in client.get(url).context["candidates"]
    response = client.post(
        url, {"evidence": wanted.pk, "relation": "supports", "strength": "weak"}, follow=True
    )
    assert "“Спутниковый снимок” linked as supports." in response.content.decode()
    assert claim.evidence_links.filter(evidence=wanted, relation="supports").exists()


def test_linking_without_choosing_an_item_says_so(client, researcher):
    claim = ClaimFactory()
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:link_create", args=[claim.pk]), {"relation": "supports"}
    )
    assert "Choose the evidence item to link." in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_change_a_links_relation_and_strength(client, researcher):
    link = EvidenceLinkFactory(relation="supports", strength="weak")
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:link_update", args=[link.pk]),
        {"relation": "contradicts", "strength": "strong", "rationale": "Re-read."},
        follow=True,
    )
    assert "Link updated." in response.content.decode()
    link.refresh_from_db()
    assert (link.relation, link.strength, link.rationale) == ("contradicts", "strong", "Re-read.")


def test_unlink_asks_for_confirmation_and_keeps_the_item(client, researcher):
    link = EvidenceLinkFactory()
    url = reverse("evidence:link_delete", args=[link.pk])
    client.force_login(researcher)
    assert "Unlink this evidence?" in client.get(url).content.decode()
    assert EvidenceLink.objects.exists()
    response = client.post(url, follow=True)
    assert "unlinked from the claim" in response.content.decode()
    assert not EvidenceLink.objects.exists()
    assert EvidenceItem.objects.filter(pk=link.evidence_id).exists()


def test_evidence_filters(client, researcher):
    nato = ClaimantFactory(name="NATO")
    claim = ClaimFactory()
    june = EvidenceItemFactory(
        title="June image", kind="satellite_image", provider=nato,
        captured_from=datetime.date(2014, 6, 1), captured_precision="month",
    )  # fmt: skip
    may = EvidenceItemFactory(
        title="May photo", captured_from=datetime.date(2014, 5, 30),
        captured_to=datetime.date(2014, 5, 30), location_name="Makiivka",
    )  # fmt: skip
    EvidenceLinkFactory(claim=claim, evidence=may)
    client.force_login(researcher)

    def listed(**params):
        page = client.get(reverse("evidence:evidence_list"), params).context["page"]
        return sorted(item.title for item in page.object_list)

    assert listed(kind="satellite_image") == ["June image"]
    assert listed(provider=nato.pk) == ["June image"]
    assert listed(provider_name=nato.name.upper()[:3]) == ["June image"]
    assert listed(review_status="pending") == ["June image", "May photo"]
    assert listed(claim=claim.pk) == ["May photo"]
    assert listed(q="makiivka") == ["May photo"]
    assert listed(captured_from="2014-06-15") == ["June image"]
    assert listed(captured_to="2014-05-31") == ["May photo"]
    assert june.pk != may.pk


def test_detail_lists_claims_by_relation(client, researcher):
    item = EvidenceItemFactory()
    EvidenceLinkFactory(evidence=item, relation="supports", claim__statement="Claim A")
    EvidenceLinkFactory(evidence=item, relation="contradicts", claim__statement="Claim B")
    client.force_login(researcher)
    ctx = client.get(reverse("evidence:evidence_detail", args=[item.pk])).context
    assert [link.claim.statement for link in ctx["supports"]] == ["Claim A"]
    assert [link.claim.statement for link in ctx["contradicts"]] == ["Claim B"]
    assert ctx["context"] == []


def test_a_duplicate_upload_points_to_the_existing_item_and_offers_to_link_it(client, researcher):
    data = files.png()
    client.force_login(researcher)
    client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(title="First", file=SimpleUploadedFile("a.png", data)),
    )
    existing = EvidenceItem.objects.get()
    claim = ClaimFactory()
    response = client.post(
        reverse("evidence:evidence_create") + f"?claim={claim.pk}",
        _evidence_post(
            claim=claim.pk,
            title="Second",
            file=SimpleUploadedFile("b.png", data),
            **{"link-relation": "supports", "link-strength": "weak"},
        ),
    )
    html = response.content.decode()
    assert "This file is already evidence: “First”." in html
    assert reverse("evidence:evidence_detail", args=[existing.pk]) in html
    assert "Link the existing item to this claim instead" in html
    assert existing.sha256 in html  # the picker link searches for it
    assert EvidenceItem.objects.count() == 1 and not EvidenceLink.objects.exists()


def test_uploads_over_the_limit_are_refused_and_leave_no_temporary_file(
    client, researcher, settings
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2000
    client.force_login(researcher)
    response = client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(file=SimpleUploadedFile("big.txt", b"x" * 5000)),
    )
    assert "larger than the" in response.context["form"].errors["file"][0]
    incoming = Path(settings.MEDIA_ROOT) / "incoming"
    assert not EvidenceItem.objects.exists()
    assert list(incoming.iterdir()) == []


def test_accepting_a_suggestion_from_the_page(client, researcher):
    client.force_login(researcher)
    client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(file=SimpleUploadedFile("c.jpg", files.jpeg_with_exif())),
    )
    item = EvidenceItem.objects.get()
    page = client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    assert "Coordinates from the photo’s GPS" in page
    url = reverse("evidence:evidence_accept_suggestion", args=[item.pk, "coordinates"])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Suggestion accepted." in response.content.decode()
    item.refresh_from_db()
    assert (float(item.latitude), float(item.longitude)) == (47.2357, 39.7015)
    bad = client.post(
        reverse("evidence:evidence_accept_suggestion", args=[item.pk, "bogus"]), follow=True
    )
    assert "The file suggests no such value." in bad.content.decode()


def test_graphic_previews_are_blurred_until_revealed(client, researcher):
    client.force_login(researcher)
    client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(is_graphic="on", file=SimpleUploadedFile("g.png", files.png())),
    )
    item = EvidenceItem.objects.get()
    assert item.is_graphic
    html = client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    assert '<div class="graphic">' in html and "Graphic content: show" in html


def test_video_page_shows_processing_then_poster_and_keyframe_strip(
    client, researcher, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    clip = files.video(tmp_path / "c.mp4")
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("evidence:evidence_create"),
            _evidence_post(kind="video", file=SimpleUploadedFile("c.mp4", clip)),
        )
    item = EvidenceItem.objects.get()
    page = reverse("evidence:evidence_detail", args=[item.pk])
    status_url = reverse("evidence:evidence_processing", args=[item.pk])
    html = client.get(page).content.decode()
    assert "Queued for processing" in html and f'data-processing-url="{status_url}"' in html
    assert reverse("evidence:evidence_strip", args=[item.pk]) not in html
    assert client.get(status_url).json() == {
        "state": "queued", "label": "Queued", "reason": "", "retry": False
    }  # fmt: skip

    for callback in queued:  # what the worker does once the upload has committed
        callback()
    assert client.get(status_url).json()["state"] == "ready"
    html = client.get(page).content.decode()
    assert "Queued for processing" not in html and "data-processing-url" not in html
    assert reverse("evidence:evidence_strip", args=[item.pk]) in html
    strip = client.get(reverse("evidence:evidence_strip", args=[item.pk]))
    assert strip["Content-Type"] == "image/jpeg"
    custody = [event.action for event in item.custody.all()]
    assert custody == ["received", "metadata_extracted"]


def test_metadata_is_listed_with_readable_labels(client, researcher):
    client.force_login(researcher)
    client.post(
        reverse("evidence:evidence_create"),
        _evidence_post(file=SimpleUploadedFile("c.jpg", files.jpeg_with_exif())),
    )
    item = EvidenceItem.objects.get()
    rows = dict(client.get(reverse("evidence:evidence_detail", args=[item.pk])).context["metadata"])
    assert rows["Exif: Camera make"] == "TestCam"
    assert rows["Exif: GPS position"] == "47.2357, 39.7015"
    assert rows["Image: Width"] == "320"
