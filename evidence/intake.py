"""Evidence intake: one pipeline for the web form, the admin, the API and the importers.

`receive()` takes any file-like upload and returns a checked Intake, or raises a
ValidationError on the "file" field that says why the file was refused. Nothing reaches the
evidence store before every check has passed, and a refused file leaves nothing behind.

1. The bytes go to a temporary file beside the store while SHA-256 and the size are
   computed in the same pass (an upload arrives already hashed: evidence/uploads.py).
2. Empty files and files over the size limit are refused.
3. The type is read from the content (evidence/sniff.py); only accepted types go on.
4. Images: the pixel count is checked before anything is decoded (decompression bombs),
   then the image is verified and decoded in full (truncation, corruption); EXIF is read;
   a thumbnail and a web-size preview are made as EXIF-free copies, with a perceptual hash.
   Video and audio: PyAV opens the container, decodes a frame at the start and one near
   the end (truncation), and reads duration, codec, resolution and creation time; video
   gets a poster frame and a strip of keyframes. PDF: the end-of-file marker must be there.
5. `store()` moves the original into place byte for byte under a generated name (a
   rename, not a copy) and writes the previews at paths derived from the item's UUID.

The heavy half of step 4 does not run in a web request when it could take long: for video,
audio and images over EVIDENCE_INLINE_IMAGE_PIXELS, `receive()` makes only the checks that
read headers (the container opens, a first frame decodes, the pixel count and format are
right) and marks the Intake `deferred`. The item is stored at once and a task
(evidence.tasks) runs the rest on the stored original with `derive()`.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import logging
import shutil
import tempfile
import uuid
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.storage import StorageUnavailable, local_path, stream, translated_errors
from evidence.credentials import read_credentials
from evidence.sniff import HEAD_BYTES, Detection, detect
from evidence.uploads import HashedUploadedFile, incoming_dir

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
THUMBNAIL_SIZE = (480, 480)
PREVIEW_SIZE = (1600, 1600)
STRIP_FRAMES = 6
STRIP_FRAME_SIZE = (240, 135)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


@dataclass
class Intake:
    """A received, checked file waiting in the incoming folder to be stored."""

    handle: Any  # the open temporary file; closing it removes the file unless stored
    sha256: str
    size: int
    original_filename: str
    detection: Detection
    metadata: dict = field(default_factory=dict)
    credentials: dict = field(default_factory=dict)  # C2PA, see evidence.credentials
    previews: dict[str, bytes] = field(default_factory=dict)  # thumbnail, preview, strip
    phash: int | None = None
    # The decoding and previews are left to evidence.tasks (see the module's docstring).
    deferred: bool = False
    # How it arrived, when not in one request (for the chain of custody).
    received_as: str = ""

    @property
    def path(self) -> str:
        return self.handle.name

    def discard(self) -> None:
        # Closing removes the temporary file; after store() it is already gone.
        with contextlib.suppress(FileNotFoundError):
            self.handle.close()


# Receiving ---------------------------------------------------------------------------------


def _copy_hashed(file: File) -> tuple[Any, str, int]:
    """Stream `file` into a temporary file in the incoming folder, hashing as it goes."""
    # Outlives this function on purpose: the Intake closes (and so removes) it.
    handle = tempfile.NamedTemporaryFile(dir=incoming_dir(), prefix="intake-")  # noqa: SIM115
    digest, size = hashlib.sha256(), 0
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        for chunk in (
            file.chunks(CHUNK) if hasattr(file, "chunks") else iter(lambda: file.read(CHUNK), b"")
        ):
            size += len(chunk)
            if size > limit:
                raise _too_large(size)
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
    except BaseException:
        handle.close()
        raise
    return handle, digest.hexdigest(), size


def _too_large(size: int) -> ValidationError:
    return _refuse(
        _("The file is larger than the %(limit)s limit (at least %(sent)s was sent).")
        % {
            "limit": filesizeformat(settings.EVIDENCE_MAX_UPLOAD_BYTES),
            "sent": filesizeformat(size),
        },
        "too_large",
    )


def receive(file: File, original_filename: str = "") -> Intake:
    """Check a file and hold it ready to store; raises ValidationError on "file"."""
    name = Path(original_filename or getattr(file, "name", "") or "").name[:255]
    if isinstance(file, HashedUploadedFile):
        if file.too_large:
            raise _too_large(file.size)
        handle, sha256, size = file.file, file.sha256, file.size
    else:
        handle, sha256, size = _copy_hashed(file)
    intake = Intake(
        handle=handle, sha256=sha256, size=size, original_filename=name, detection=detect(b"")
    )
    return _checked(intake)


def receive_received(path: Path, *, sha256: str, size: int, original_filename: str) -> Intake:
    """receive() for a file already on disk, hashed as it arrived (a finished resumable
    upload): the same checks; the file is moved into the store or left for the caller."""
    name = Path(original_filename).name[:255]
    if size > settings.EVIDENCE_MAX_UPLOAD_BYTES:
        raise _too_large(size)
    handle = open(path, "rb")  # noqa: SIM115 - the Intake closes it
    intake = Intake(
        handle=handle, sha256=sha256, size=size, original_filename=name, detection=detect(b"")
    )
    return _checked(intake)


def _checked(intake: Intake) -> Intake:
    try:
        if intake.size == 0:
            raise _refuse(_("The file is empty."), "empty")
        with open(intake.path, "rb") as head_file:
            intake.detection = detect(head_file.read(HEAD_BYTES))
        if not intake.detection.accepted:
            raise _refuse(
                _(
                    "Files of this kind are not accepted: this one is %(kind)s. Accepted are "
                    "images (JPEG, PNG, WebP, TIFF, GIF), video (MP4, WebM, MOV, MKV), audio "
                    "(MP3, WAV, OGG, M4A), PDF and plain text."
                )
                % {"kind": intake.detection.name},
                "type",
            )
        inspect = _INSPECTORS.get(intake.detection.family)
        if inspect:
            inspect(intake, defer=True)
    except BaseException:
        intake.discard()
        raise
    return intake


# Images ------------------------------------------------------------------------------------

_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/tiff": "TIFF",
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_MAKE, _MODEL, _DATETIME_ORIGINAL, _DATETIME = 0x010F, 0x0110, 0x9003, 0x0132


def _jpeg(image: Image.Image, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size)
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    # No exif=...: no camera, date or location leaves in a preview.
    copy.save(out, format="JPEG", quality=85)
    return out.getvalue()


def difference_hash(image: Image.Image) -> int:
    """A 64-bit perceptual hash (dHash): near-identical pictures differ in few bits.

    Stored signed, to fit a 64-bit integer column.
    """
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(small.getdata())
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return bits - (1 << 64) if bits >= 1 << 63 else bits


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def _gps_degrees(value, ref) -> float | None:
    try:
        degrees, minutes, seconds = (float(Fraction(str(part))) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    return -decimal if str(ref).upper() in ("S", "W") else decimal


def _exif(image: Image.Image) -> dict:
    exif = image.getexif()
    if not exif:
        return {}
    found: dict[str, Any] = {}
    for tag, key in ((_MAKE, "camera_make"), (_MODEL, "camera_model")):
        if exif.get(tag):
            found[key] = str(exif[tag]).strip("\x00 ")
    taken = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if taken:
        try:
            moment = datetime.datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            found["original_datetime"] = moment.isoformat()
        except ValueError:
            found["original_datetime_raw"] = str(taken)[:40]
    gps = exif.get_ifd(_GPS_IFD)
    if gps.get(2) and gps.get(4):
        lat, lon = _gps_degrees(gps[2], gps.get(1, "N")), _gps_degrees(gps[4], gps.get(3, "E"))
        if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
            found["gps"] = {"latitude": round(lat, 6), "longitude": round(lon, 6)}
    return found


def _inspect_image(intake: Intake, *, defer: bool) -> None:
    limit = settings.EVIDENCE_MAX_IMAGE_PIXELS
    # Other libraries flip this process-wide switch (WeasyPrint does on import); a
    # truncated image must fail its decode here whatever else this process has loaded.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    # Pillow's own bomb check is set to our limit; ours below comes first with a clearer
    # message, before a single pixel is decoded.
    Image.MAX_IMAGE_PIXELS = limit
    damaged = _refuse(
        _("The file starts like %(kind)s but is damaged or truncated.")
        % {"kind": intake.detection.name},
        "corrupt",
    )
    bomb = {"limit": limit // 1_000_000}
    try:
        try:
            with warnings.catch_warnings():
                # Between one and two times the limit Pillow only warns; the check below
                # refuses those with the real dimensions.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(intake.path)
        except Image.DecompressionBombError:
            # Pillow refuses to open a header claiming over twice its limit.
            raise _refuse(
                _(
                    "The image claims more than the %(limit)s megapixel limit: it could be a "
                    "decompression bomb, a small file that expands to fill memory."
                )
                % bomb,
                "too_many_pixels",
            ) from None
        with image:
            width, height = image.size
            if width * height > limit:
                raise _refuse(
                    _(
                        "The image is %(width)s × %(height)s pixels, more than the %(limit)s "
                        "megapixel limit: it could be a decompression bomb, a small file that "
                        "expands to fill memory."
                    )
                    % {**bomb, "width": width, "height": height},
                    "too_many_pixels",
                )
            if image.format != _PILLOW_FORMATS[intake.detection.media_type]:
                raise damaged
            image.verify()
        intake.metadata["image"] = {"width": width, "height": height}
        with Image.open(intake.path) as image:
            if exif := _exif(image):  # read from the header: no pixel is decoded
                intake.metadata["exif"] = exif
            if defer and width * height > settings.EVIDENCE_INLINE_IMAGE_PIXELS:
                intake.deferred = True
                return
            intake.metadata["image"]["frames"] = getattr(image, "n_frames", 1)
            image.draft("RGB", PREVIEW_SIZE)  # JPEG decodes straight to a smaller size
            image.load()  # decodes every byte: a truncated file fails here
            upright = ImageOps.exif_transpose(image)
            intake.previews["preview"] = _jpeg(upright, PREVIEW_SIZE)
            intake.previews["thumbnail"] = _jpeg(upright, THUMBNAIL_SIZE)
            intake.phash = difference_hash(upright)
        intake.credentials = read_credentials(intake.path, intake.detection.media_type)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
    ) as error:
        raise damaged from error


# Video and audio ---------------------------------------------------------------------------


def _seconds(value, time_base) -> float | None:
    if value is None or time_base is None:
        return None
    return float(value * time_base)


def _decode_one(container, stream, seconds: float | None = None):
    """The first frame at (or after a seek to) `seconds`; raises if none can be decoded."""
    if seconds:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
    for frame in container.decode(stream):
        return frame
    raise ValueError("no frame could be decoded")


def _inspect_media(intake: Intake, *, defer: bool) -> None:
    import av  # PyAV ships FFmpeg in its wheel; imported only when media arrives

    kind = intake.detection.family
    damaged = _refuse(
        _("The file starts like %(kind)s but is damaged or truncated.")
        % {"kind": intake.detection.name},
        "corrupt",
    )
    try:
        with av.open(intake.path, metadata_errors="ignore") as container:
            stream = next((s for s in container.streams if s.type == kind), None)
            if stream is None:
                raise _refuse(_("The file holds no %(kind)s stream.") % {"kind": kind}, "no_stream")
            duration = container.duration / av.time_base if container.duration else None
            duration = duration or _seconds(stream.duration, stream.time_base)
            codec = stream.codec_context
            info: dict[str, Any] = {
                "duration_seconds": round(duration, 3) if duration else None,
                "codec": codec.name,
                "container": container.format.name,
            }
            created = container.metadata.get("creation_time") or stream.metadata.get(
                "creation_time"
            )
            if created:
                info["creation_time"] = created
            first = _decode_one(container, stream)
            if kind == "video":
                info |= {"width": codec.width, "height": codec.height}
                if stream.average_rate:
                    info["frame_rate"] = round(float(stream.average_rate), 3)
            else:
                info |= {"sample_rate": codec.sample_rate, "channels": codec.channels}
            intake.metadata[kind] = info
            if defer:
                intake.deferred = True
                return
            if kind == "video":
                poster = first.to_image()
                intake.previews["preview"] = _jpeg(poster, PREVIEW_SIZE)
                intake.previews["thumbnail"] = _jpeg(poster, THUMBNAIL_SIZE)
                intake.phash = difference_hash(poster)
            if duration and duration > 1:
                # A frame near the end must decode too: a cut-off file fails here.
                _decode_one(container, stream, max(duration - 1, 0))
                if kind == "video":
                    intake.previews["strip"] = _keyframe_strip(container, stream, duration)
        intake.credentials = read_credentials(intake.path, intake.detection.media_type)
    except ValidationError:
        raise
    except (av.error.FFmpegError, ValueError, OSError, StopIteration) as error:
        raise damaged from error


def _keyframe_strip(container, stream, duration: float) -> bytes:
    """STRIP_FRAMES keyframes spread over the video, side by side in one image."""
    width, height = STRIP_FRAME_SIZE
    strip = Image.new("RGB", (width * STRIP_FRAMES, height), "black")
    for index in range(STRIP_FRAMES):
        frame = _decode_one(container, stream, duration * (index + 0.5) / STRIP_FRAMES)
        picture = frame.to_image()
        picture.thumbnail(STRIP_FRAME_SIZE)
        strip.paste(
            picture, (index * width + (width - picture.width) // 2, (height - picture.height) // 2)
        )
    out = io.BytesIO()
    strip.save(out, format="JPEG", quality=80)
    return out.getvalue()


# Documents ---------------------------------------------------------------------------------


def _inspect_pdf(intake: Intake, *, defer: bool) -> None:
    with open(intake.path, "rb") as pdf:
        pdf.seek(max(intake.size - 2048, 0))
        tail = pdf.read()
    if b"%%EOF" not in tail:
        raise _refuse(_("The PDF is truncated: it has no end-of-file marker."), "corrupt")
    intake.metadata["pdf"] = {"version": _pdf_version(intake.path)}


def _pdf_version(path: str) -> str:
    with open(path, "rb") as pdf:
        return pdf.read(16)[5:8].decode("ascii", "replace")


_INSPECTORS = {
    "image": _inspect_image,
    "video": _inspect_media,
    "audio": _inspect_media,
    "document": _inspect_pdf,
}


# Deriving later ----------------------------------------------------------------------------


@contextlib.contextmanager
def stored_copy(field):
    """A stored original as an Intake to derive from: the file itself where the store is
    a local folder, a temporary copy streamed from it otherwise."""
    path = local_path(field.storage, field.name)
    if path is not None:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    else:
        handle = tempfile.NamedTemporaryFile(dir=incoming_dir(), prefix="derive-")  # noqa: SIM115
        try:
            with stream(field.storage, field.name) as stored:
                shutil.copyfileobj(stored, handle, CHUNK)
            handle.flush()
        except BaseException:
            handle.close()
            raise
    with open(handle.name, "rb") as head_file:
        detection = detect(head_file.read(HEAD_BYTES))
    intake = Intake(
        handle=handle,
        sha256="",
        size=Path(handle.name).stat().st_size,
        original_filename="",
        detection=detection,
    )
    try:
        yield intake
    finally:
        handle.close()


def derive(intake: Intake) -> None:
    """The whole of step 4 on a stored original: metadata, previews and perceptual hash.

    Raises ValidationError on "file" with the reason, as receive() would have.
    """
    inspect = _INSPECTORS.get(intake.detection.family)
    if inspect:
        inspect(intake, defer=False)


def store_previews(intake: Intake, storage, item_uuid: uuid.UUID) -> dict[str, str]:
    """Write an item's previews at their own names, replacing any that are there already
    (a task that runs again writes the same files, never a second set)."""
    names: dict[str, str] = {}
    with translated_errors():
        for kind, data in intake.previews.items():
            name = preview_name(item_uuid, kind)
            storage.delete(name)
            names[kind] = storage.save(name, io.BytesIO(data))
    return names


# Storing -----------------------------------------------------------------------------------


def original_name() -> str:
    """A generated storage name with no extension: nothing a client chose reaches the disk."""
    name = uuid.uuid4().hex
    return f"evidence/originals/{name[:2]}/{name}"


def preview_name(item_uuid: uuid.UUID, kind: str) -> str:
    return f"evidence/previews/{item_uuid.hex[:2]}/{item_uuid.hex}/{kind}.jpg"


def store(intake: Intake, storage, item_uuid: uuid.UUID) -> dict[str, str]:
    """Move the original into the store and write its previews; returns the stored names.

    Into a local folder the original is renamed (the bytes are not copied); into a bucket
    it is streamed. The caller removes them again (`unstore`) if saving the record fails.
    A store that cannot be reached raises StorageUnavailable, with nothing left behind.
    """
    names: dict[str, str] = {}
    try:
        with translated_errors():
            names["file"] = original_name()
            path = local_path(storage, names["file"])
            if path is not None:
                destination = Path(path)
                destination.parent.mkdir(parents=True, exist_ok=True)
                # Same file system as the incoming folder: a rename.
                shutil.move(intake.path, destination)
                destination.chmod(0o640)
            else:
                with open(intake.path, "rb") as source:
                    names["file"] = storage.save(names["file"], File(source))
            for kind, data in intake.previews.items():
                names[kind] = storage.save(preview_name(item_uuid, kind), io.BytesIO(data))
    except BaseException:
        unstore(storage, names)
        raise
    finally:
        intake.discard()
    return names


def unstore(storage, names: dict[str, str]) -> None:
    """Remove what store() wrote; a store that is down keeps what it has (logged)."""
    for name in names.values():
        try:
            with translated_errors():
                storage.delete(name)
        except (StorageUnavailable, FileNotFoundError) as error:
            log.warning("could not remove %s from the store: %s", name, error)
