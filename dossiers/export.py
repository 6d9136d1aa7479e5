"""Dossier formats: HTML (self-contained), PDF (the same HTML), JSON, and the ZIP bundle
that holds all three with the evidence originals and a SHA256SUMS file.

The ZIP is written as a stream: each member is read in chunks, hashed and passed on, so
memory stays flat however large the evidence is. The same stream goes to an HTTP response
or to a file on disk.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import textwrap
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ImageFile

from accounts.models import EventKind
from accounts.services import security_event
from core import history
from core.storage import chunks as stored_chunks
from core.storage import stream
from dossiers.build import Dossier, evidence_path, preview_path
from evidence.models import CustodyAction
from evidence.services import custody_record
from proofs import verify
from proofs.keys import InstanceKey, KeyUnavailable, configured_key, current_key, keys_url
from proofs.timestamps import now_or_reason

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
            "signing": _signing(),
        },
    )


def _signing() -> dict | None:
    """The key ZIP bundles are signed with, for the page's "Checking this dossier"."""
    try:
        key = configured_key()
    except KeyUnavailable:
        return None
    return {"fingerprint": key.fingerprint, "keys_url": keys_url()}


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
    claim: str = ""  # the claim's UUID, on a dossier.json: the manifest names it


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
        (
            "manifest.json",
            _(
                "what was exported, when, by whom and from which instance, with the size and "
                "SHA-256 of every file"
            ),
        ),
        ("manifest.json.sig", _("the instance's Ed25519 signature of manifest.json")),
        (
            "manifest.json.tsr",
            _(
                "a trusted timestamp of manifest.json (RFC 3161), when the instance has a "
                "Time-Stamping Authority; otherwise manifest.json.tsr-missing.txt says why"
            ),
        ),
        ("verify.py", _("checks all of this, offline (Python 3 and its cryptography package)")),
        ("SHA256SUMS", _("the SHA-256 of every other file in this bundle")),
    ]
    exported = _("This is the dossier of a claim, exported from Corroborate on %(date)s.")
    lines = [exported % {"date": timezone.now().date().isoformat()}, ""]
    for name, what in files:
        lines += textwrap.wrap(
            what, README_WIDTH, initial_indent=f"  {name:<14} ", subsequent_indent=" " * 17
        )
    script = _(
        "To check the whole dossier (every file’s SHA-256 against the signed manifest, the "
        "signature, the timestamp), unpack verify.py from it and run, with Python 3:"
    )
    lines += ["", *textwrap.wrap(script, README_WIDTH), ""]
    lines += ["  pip install cryptography"]
    lines += ["  python3 verify.py DOSSIER.zip --public-key KEY.pem --tsa-cert TSA-CA.pem", ""]
    keys = _(
        "KEY.pem is the public key of the instance that issued the dossier (its fingerprint "
        "is in manifest.json; ask the issuer for it by another channel, or give --fetch-key "
        "to fetch the keys it publishes); TSA-CA.pem is the certificate of the Time-Stamping "
        "Authority or its CA. Each check prints one line; any FAILED line means the dossier "
        "is not as it was issued."
    )
    lines += textwrap.wrap(keys, README_WIDTH)
    lines += ["", _("To check that nothing in it was altered, in a terminal in this folder:"), ""]
    lines += ["  sha256sum -c SHA256SUMS        (Linux)"]
    lines += ["  shasum -a 256 -c SHA256SUMS    (macOS)", ""]
    checks = _(
        "Every line must end in “OK”. Each evidence file’s hash must also match the one "
        "recorded when it was received, listed in dossier.json and dossier.html."
    )
    lines += textwrap.wrap(checks, README_WIDTH)
    lines += ["", *textwrap.wrap(_("With OpenSSL alone:"), README_WIDTH), ""]
    lines += ["  openssl pkeyutl -verify -pubin -inkey KEY.pem -rawin -in manifest.json \\"]
    lines += ["      -sigfile manifest.json.sig"]
    lines += ["  openssl ts -verify -data manifest.json -in manifest.json.tsr -CAfile TSA-CA.pem"]
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
        Member(prefix + "dossier.json", _bytes(render_json(dossier)), str(dossier.claim.uuid)),
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


VERIFIER = Path(verify.__file__)


def stream_zip(
    members: Iterable[Member],
    *,
    exported_by: str | None,
    on_complete: Callable[[], None] | None = None,
) -> Iterator[bytes]:
    """The ZIP of `members`, the verifier (verify.py), the manifest of them all signed with
    the instance's key and timestamped, and SHA256SUMS covering every file, as a stream of
    bytes. KeyUnavailable before the first byte when there is no key to sign with."""
    key = current_key()
    return _stream_zip(members, key, exported_by, on_complete)


def _stream_zip(members, key: InstanceKey, exported_by, on_complete) -> Iterator[bytes]:
    pipe, files, claims = _Pipe(), [], []
    stamp = timezone.localtime().timetuple()[:6]
    verifier = Member(verify.SCRIPT, _bytes(VERIFIER.read_bytes()))
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in itertools.chain(members, [verifier]):
            info = zipfile.ZipInfo(member.path, date_time=stamp)
            digest, size = hashlib.sha256(), 0
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in member.chunks():
                    digest.update(chunk)
                    size += len(chunk)
                    entry.write(chunk)
                    yield pipe.take()
            files.append({"path": member.path, "size": size, "sha256": digest.hexdigest()})
            if member.claim:
                claims.append(member.claim)
            yield pipe.take()
        for name, data in seal(files, claims, key, exported_by):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
            files.append({"path": name, "sha256": hashlib.sha256(data).hexdigest()})
        # The format `sha256sum -c` reads: hash, two spaces, path.
        sums = "".join(f"{file['sha256']}  {file['path']}\n" for file in files)
        archive.writestr(zipfile.ZipInfo(verify.SUMS, date_time=stamp), sums)
    yield pipe.take()
    if on_complete is not None:
        on_complete()


def seal(
    files: list[dict], claims: list[str], key: InstanceKey, exported_by: str | None
) -> list[tuple[str, bytes]]:
    """The manifest of `files` (path, size, SHA-256), its signature, and its timestamp token
    (or why there is none)."""
    manifest = {
        "format": verify.MANIFEST_FORMAT,
        "format_version": 1,
        "instance": {
            "name": settings.CORROBORATE_ORGANISATION,
            "url": settings.CORROBORATE_BASE_URL,
            "keys_url": keys_url(),
        },
        "exported_by": exported_by,
        "exported_at": timezone.now().isoformat(),
        "claims": claims,
        "history_head": {"seq": history.head_seq(), "hash": history.head_hash()},
        "files": files,
        "signing_key": {
            "algorithm": "Ed25519",
            "fingerprint": key.fingerprint,
            "public_key": key.public_pem,
        },
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    sealed = [(verify.MANIFEST, data), (verify.SIGNATURE, key.sign(data))]
    token, reason = now_or_reason(data)
    if token is not None:
        sealed.append((verify.TOKEN, token))
    else:
        sealed.append((verify.NO_TOKEN, (reason + "\n").encode()))
    return sealed


def write_zip(members: Iterable[Member], path: Path, *, exported_by: str | None) -> int:
    """Stream the bundle to a file; returns its size."""
    size = 0
    stream = stream_zip(members, exported_by=exported_by)
    with open(path, "wb") as out:
        for data in stream:
            out.write(data)
            size += len(data)
    return size
