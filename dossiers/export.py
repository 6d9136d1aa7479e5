"""Dossier formats: HTML (self-contained), PDF (the same HTML), JSON, and the ZIP bundle
that holds all three with the evidence originals and a SHA256SUMS file.

The ZIP is written as a stream: each member is read in chunks, hashed and passed on, so
memory stays flat however large the evidence is. The same stream goes to an HTTP response
or to a file on disk.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import textwrap
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ImageFile

from accounts.models import EventKind
from accounts.services import security_event
from core.storage import chunks as stored_chunks
from core.storage import stream
from dossiers.build import Dossier, evidence_path, preview_path
from evidence.models import CustodyAction
from evidence.services import custody_record

CHUNK = 1024 * 1024
FONT = "fonts/NotoSansSC-Regular-GB2312.ttf"


def _data_uri(field) -> str | None:
    """A small preview embedded in the page, so the HTML needs no other file."""
    if not field:
        return None
    try:
        with stream(field.storage, field.name) as image:
            return "data:image/jpeg;base64," + base64.b64encode(image.read()).decode()
    except FileNotFoundError:
        return None


def render_html(dossier: Dossier, *, for_pdf: bool = False) -> str:
    items = {item.uuid.hex: item for item in dossier.items}
    evidence = []
    for entry in dossier.data["evidence"]:
        item = items[entry["uuid"].replace("-", "")]
        links = [link for link in dossier.data["links"] if link["evidence"] == entry["uuid"]]
        evidence.append({**entry, "links": links, "thumbnail": _data_uri(item.thumbnail)})
    font = finders.find(FONT)
    return render_to_string(
        "dossiers/dossier.html",
        {
            "d": dossier.data,
            "show_comments": dossier.show_comments,
            "evidence": evidence,
            "for_pdf": for_pdf,
            "cjk_font": Path(font).as_uri() if font else None,
        },
    )


def html_policy(html: str) -> str:
    """The Content-Security-Policy of a dossier opened in the browser: a sandboxed
    document that may use its own style block (allowed by its hash, nothing else inline)
    and its embedded images, and runs nothing."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    ]
    return "; ".join(
        [
            "default-src 'none'",
            "style-src " + (" ".join(hashes) or "'none'"),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "sandbox",
        ]
    )


class PdfUnavailable(Exception):
    """The PDF renderer cannot run on this machine (Pango is missing)."""


def _local_only(url: str):
    """WeasyPrint's fetcher, allowed only what the dossier embeds: no network, ever."""
    from weasyprint import default_url_fetcher

    font = finders.find(FONT)
    if url.startswith("data:") or (font and url == Path(font).as_uri()):
        return default_url_fetcher(url)
    raise ValueError(f"dossier PDFs load nothing from outside: {url[:80]}")


def render_pdf(dossier: Dossier) -> bytes:
    try:
        from weasyprint import HTML  # imported on use: it loads Pango at import time
    except OSError as error:
        raise PdfUnavailable(
            "PDF dossiers need the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from error
    # WeasyPrint's import tells Pillow to accept truncated images, process-wide; the
    # evidence intake must not inherit that. The dossier only embeds our own previews.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_html(dossier, for_pdf=True), url_fetcher=_local_only).write_pdf()


def render_json(dossier: Dossier) -> bytes:
    return json.dumps(dossier.data, ensure_ascii=False, indent=2).encode()


def record_export(dossier: Dossier, *, user, what: str) -> None:
    """Every export enters the chain of custody of each evidence item it contains, and
    the security log of its investigation."""
    security_event(
        EventKind.EXPORT,
        actor=user,
        investigation=dossier.claim.investigation,
        detail=f"{what} dossier of claim #{dossier.claim.pk}",
    )
    for item in dossier.items:
        if item.file:
            custody_record(
                item=item,
                action=CustodyAction.EXPORTED,
                by=user,
                detail=f"{what} of claim #{dossier.claim.pk}",
            )


# The ZIP bundle ----------------------------------------------------------------------------


@dataclass
class Member:
    path: str
    chunks: Callable[[], Iterable[bytes]]


def _bytes(data: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: [data]


def _stored(field) -> Callable[[], Iterable[bytes]]:
    def read() -> Iterator[bytes]:
        yield from stored_chunks(field.storage, field.name)

    return read


README_WIDTH = 88


def readme(dossier: Dossier) -> str:
    """The bundle's README.txt, in the language active (the dossier's): what each file is,
    and how to check that none was altered."""
    files = [
        ("dossier.html", _("the dossier, for reading (opens in any browser, no network needed)")),
        ("dossier.pdf", _("the same, for printing")),
        (
            "dossier.json",
            _(
                "everything, for machines: the claim, claimants, statements, sources, evidence "
                "with dates, places, hashes and reviews, links, the evidence balance, the "
                "history, and schema.org ClaimReview and MediaReview markup"
            ),
        ),
        ("evidence/", _("the evidence files, exactly as received")),
        ("previews/", _("the previews shown in the dossier")),
        ("SHA256SUMS", _("the SHA-256 of every other file in this bundle")),
    ]
    exported = _("This is the dossier of a claim, exported from Corroborate on %(date)s.")
    lines = [exported % {"date": timezone.now().date().isoformat()}, ""]
    for name, what in files:
        lines += textwrap.wrap(
            what, README_WIDTH, initial_indent=f"  {name:<14} ", subsequent_indent=" " * 17
        )
    lines += ["", _("To check that nothing in it was altered, in a terminal in this folder:"), ""]
    lines += ["  sha256sum -c SHA256SUMS        (Linux)"]
    lines += ["  shasum -a 256 -c SHA256SUMS    (macOS)", ""]
    checks = _(
        "Every line must end in “OK”. Each evidence file’s hash must also match the one "
        "recorded when it was received, listed in dossier.json and dossier.html."
    )
    lines += textwrap.wrap(checks, README_WIDTH)
    if dossier.data["includes_unreviewed_evidence"]:
        marked = _(
            "This dossier includes evidence that has NOT been reviewed; it is marked as such."
        )
        lines += ["", *textwrap.wrap(marked, README_WIDTH)]
    return "\n".join(lines) + "\n"


def dossier_members(dossier: Dossier, *, prefix: str = "") -> list[Member]:
    members = [
        Member(prefix + "dossier.html", _bytes(render_html(dossier).encode())),
        Member(prefix + "dossier.pdf", _bytes(render_pdf(dossier))),
        Member(prefix + "dossier.json", _bytes(render_json(dossier))),
    ]
    for item in dossier.items:
        if item.file:
            members.append(Member(prefix + evidence_path(item), _stored(item.file)))
        for kind in ("thumbnail", "preview", "keyframe_strip"):
            field = getattr(item, kind)
            if field:
                members.append(Member(prefix + preview_path(item, kind), _stored(field)))
    members.append(Member(prefix + "README.txt", _bytes(readme(dossier).encode())))
    return members


class _Pipe:
    """A write-only file for zipfile that hands the written bytes on instead of storing
    them; zipfile sees it cannot seek and writes data descriptors instead."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._offset = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_zip(members: Iterable[Member], *, on_complete: Callable[[], None] | None = None):
    """The ZIP of `members` plus SHA256SUMS (covering them all), as a stream of bytes."""
    pipe, sums = _Pipe(), []
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, date_time=stamp)
            digest = hashlib.sha256()
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in member.chunks():
                    digest.update(chunk)
                    entry.write(chunk)
                    yield pipe.take()
            # The format `sha256sum -c` reads: hash, two spaces, path.
            sums.append(f"{digest.hexdigest()}  {member.path}\n")
            yield pipe.take()
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", date_time=stamp), "".join(sums))
    yield pipe.take()
    if on_complete is not None:
        on_complete()


def write_zip(members: Iterable[Member], path: Path) -> int:
    """Stream the bundle to a file; returns its size."""
    size = 0
    with open(path, "wb") as out:
        for data in stream_zip(members):
            out.write(data)
            size += len(data)
    return size
