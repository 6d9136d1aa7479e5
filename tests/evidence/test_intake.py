"""The intake pipeline: each refusal with a real malformed file, what is extracted from
good ones, duplicates and near-duplicates. A refused file leaves no row and no file."""

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from evidence.intake import difference_hash, hamming
from evidence.models import CustodyEvent, EvidenceItem, Processing
from evidence.selectors import evidence_looks_like, suggestions
from evidence.services import DuplicateEvidence, evidence_create, evidence_suggestion_accept
from tests import files
from tests.factories import default_investigation
from tests.queued import work

pytestmark = pytest.mark.django_db


def _stored(media_root) -> list[Path]:
    root = Path(media_root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _create(user, data: bytes, name: str, **fields) -> EvidenceItem:
    return evidence_create(
        investigation=default_investigation(),
        kind=fields.pop("kind", "photo"),
        title=fields.pop("title", name),
        file=ContentFile(data, name=name),
        original_filename=name,
        by=user,
        **fields,
    )


REFUSALS = [
    ("bomb.png", files.png_bomb, "decompression bomb"),
    ("truncated.jpg", files.truncated_jpeg, "starts like a JPEG image but is damaged or truncated"),
    ("page.jpg", lambda: files.HTML_AS_JPEG, "this one is an HTML document"),
    ("icon.png", lambda: files.SVG_WITH_SCRIPT, "this one is an SVG image (SVG can carry scripts)"),
    ("script.jpg", lambda: files.JAVASCRIPT, "this one is JavaScript"),
    ("clip.mp4", lambda: files.ELF, "this one is an ELF executable"),
    ("empty.jpg", lambda: b"", "The file is empty."),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_files_leave_nothing_behind(researcher, settings, name, make, message):
    with pytest.raises(ValidationError) as error:
        _create(researcher, make(), name)
    assert message in error.value.message_dict["file"][0]
    assert not EvidenceItem.objects.exists()
    assert not CustodyEvent.objects.exists()
    assert _stored(settings.MEDIA_ROOT) == []


def test_a_cut_off_video_is_refused(researcher, settings, tmp_path):
    clip = files.video(tmp_path / "clip.mp4")
    with pytest.raises(ValidationError) as error:
        _create(researcher, clip[: len(clip) * 2 // 3], "clip.mp4", kind="video")
    assert "starts like an MP4 video but is damaged or truncated" in error.value.messages[0]
    assert _stored(settings.MEDIA_ROOT) == []


def test_files_over_the_size_limit_are_refused(researcher, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        _create(researcher, b"a" * 1001, "notes.txt", kind="document")
    assert "larger than the 1000\xa0bytes limit" in error.value.messages[0]
    assert _stored(settings.MEDIA_ROOT) == [] and not EvidenceItem.objects.exists()


def test_images_over_the_pixel_limit_are_refused_before_decoding(researcher, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 10_000
    with pytest.raises(ValidationError) as error:
        _create(researcher, files.png(200, 100), "wide.png")
    assert (
        "The image is 200 × 100 pixels, more than the 0 megapixel limit" in error.value.messages[0]
    )


def test_the_original_is_stored_byte_for_byte_with_hash_type_and_generated_name(
    researcher, settings
):
    data = files.jpeg_with_exif()
    item = _create(researcher, data, "../../Фото колонны.jpg")
    stored = Path(settings.MEDIA_ROOT) / item.file.name
    assert stored.read_bytes() == data
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size_bytes == len(data)
    assert item.media_type == "image/jpeg"
    assert item.original_filename == "Фото колонны.jpg"
    assert "." not in stored.name and "Фото" not in str(stored)
    assert list((Path(settings.MEDIA_ROOT) / "incoming").iterdir()) == []


def test_exif_camera_date_and_gps_are_extracted_and_previews_carry_none(researcher, settings):
    item = _create(researcher, files.jpeg_with_exif(), "column.jpg")
    exif = item.metadata["exif"]
    assert (exif["camera_make"], exif["camera_model"]) == ("TestCam", "Model 7")
    assert exif["original_datetime"] == "2014-06-11T09:30:15"
    assert exif["gps"] == {"latitude": 47.2357, "longitude": 39.7015}
    assert item.metadata["image"] == {"width": 320, "height": 240, "frames": 1}
    for preview in (item.thumbnail, item.preview):
        with Image.open(Path(settings.MEDIA_ROOT) / preview.name) as image:
            assert image.format == "JPEG" and not image.getexif()


def test_exif_suggestions_are_offered_and_accepted(researcher):
    item = _create(researcher, files.jpeg_with_exif(), "column.jpg")
    offered = {s.what: s.value for s in suggestions(item)}
    assert offered == {
        "coordinates": "47.2357, 39.7015",
        "capture-date": "11 June 2014 (2014-06-11T09:30:15)",
    }
    assert item.latitude is None and item.captured_from is None  # not applied unasked
    evidence_suggestion_accept(item=item, what="coordinates", by=researcher)
    evidence_suggestion_accept(item=item, what="capture-date", by=researcher)
    item.refresh_from_db()
    assert (item.latitude, item.longitude) == (Decimal("47.235700"), Decimal("39.701500"))
    assert item.location_precision == "exact"
    assert item.captured_from == item.captured_to == datetime.date(2014, 6, 11)
    assert suggestions(item) == []


def test_video_metadata_poster_and_keyframe_strip(
    researcher, settings, tmp_path, django_capture_on_commit_callbacks
):
    clip = files.video(tmp_path / "clip.mp4", seconds=3)
    with django_capture_on_commit_callbacks() as queued:
        item = _create(researcher, clip, "clip.mp4", kind="video")
    # During the upload only what the headers say; the pictures come from the task.
    assert item.processing == Processing.QUEUED
    assert item.metadata["video"]["width"] == 160 and not item.thumbnail
    assert len(work(queued)) == 1
    work(queued)[0]()
    item.refresh_from_db()
    assert item.processing == Processing.READY
    video = item.metadata["video"]
    assert video["duration_seconds"] == pytest.approx(3.0, abs=0.2)
    assert (video["width"], video["height"], video["codec"]) == (160, 120, "mpeg4")
    assert video["creation_time"].startswith("2014-06-11T09:30:00")
    assert item.media_type == "video/mp4"
    with Image.open(Path(settings.MEDIA_ROOT) / item.thumbnail.name) as poster:
        assert poster.size == (160, 120)
    with Image.open(Path(settings.MEDIA_ROOT) / item.keyframe_strip.name) as strip:
        assert strip.size == (240 * 6, 135)


def test_webm_audio_pdf_and_text_are_accepted(
    researcher, tmp_path, django_capture_on_commit_callbacks
):
    cases = [
        (files.video(tmp_path / "c.webm", fmt="webm", codec="libvpx"), "c.webm", "video/webm"),
        (files.wav(), "r.wav", "audio/wav"),
        (files.pdf(), "d.pdf", "application/pdf"),
        ("Заявление МИД России: «фейк».\n".encode(), "s.txt", "text/plain"),
    ]
    for data, name, media_type in cases:
        with django_capture_on_commit_callbacks(execute=True):
            item = _create(researcher, data, name, kind="other")
        assert item.media_type == media_type
        item.refresh_from_db()
        assert item.processing == Processing.READY
    assert EvidenceItem.objects.get(media_type="audio/wav").metadata["audio"]["sample_rate"] == 8000


def test_a_duplicate_is_not_stored_twice(researcher, settings):
    data = files.png()
    first = _create(researcher, data, "a.png")
    before = _stored(settings.MEDIA_ROOT)
    with pytest.raises(DuplicateEvidence) as error:
        _create(researcher, data, "same-bytes-other-name.png", title="Again")
    assert error.value.existing == first
    assert "This file is already evidence: “a.png”." in error.value.messages
    assert EvidenceItem.objects.count() == 1
    assert _stored(settings.MEDIA_ROOT) == before


def test_near_duplicates_are_found_by_perceptual_hash(researcher):
    original = files.scene(3)
    resized = original.resize((320, 240))
    first = _create(researcher, files.encode(original, "PNG"), "original.png")
    copy = _create(researcher, files.encode(resized, "JPEG", quality=70), "copy.jpg")
    mirrored = ImageOps.mirror(original)  # same colours, different picture
    other = _create(researcher, files.encode(mirrored, "PNG"), "other.png")
    assert hamming(first.phash, copy.phash) <= 10
    looks = evidence_looks_like(first)
    assert [item for item, _ in looks] == [copy]
    assert hamming(first.phash, other.phash) > 10
    assert other not in [item for item, _ in evidence_looks_like(copy)]


def test_difference_hash_is_stable_and_signed_64_bit():
    image = files.scene(4)
    assert difference_hash(image) == difference_hash(image.copy())
    assert -(2**63) <= difference_hash(image) < 2**63


def test_truncated_images_are_refused_even_after_weasyprint_was_imported(researcher, settings):
    import weasyprint  # noqa: F401 - its import sets Pillow's LOAD_TRUNCATED_IMAGES
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    with pytest.raises(ValidationError, match="damaged or truncated"):
        _create(researcher, files.truncated_jpeg(), "cut.jpg")
    assert _stored(settings.MEDIA_ROOT) == []
