"""What a file really is, read from its first bytes, never from its name or the client.

Returns a Detection for every input: accepted types carry their media type; everything
else carries a readable name for the refusal message ("an HTML document", "an ELF
executable"). Structural checks (Pillow, PyAV) come later, in evidence.intake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Detection:
    media_type: str  # "" when the type is not accepted
    family: str  # image, video, audio, document, text, or "" when refused
    name: str  # what it is, for people: "a JPEG image", "an HTML document"

    @property
    def accepted(self) -> bool:
        return bool(self.media_type)


def _accept(media_type: str, family: str, name: str) -> Detection:
    return Detection(media_type, family, name)


def _refuse(name: str) -> Detection:
    return Detection("", "", name)


# Binary signatures of types that are never accepted, with their names.
_REFUSED_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x7fELF", "an ELF executable"),
    (b"\xfe\xed\xfa\xce", "a macOS executable"),
    (b"\xfe\xed\xfa\xcf", "a macOS executable"),
    (b"\xce\xfa\xed\xfe", "a macOS executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a macOS executable or Java class file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document or other ZIP-based file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"#!", "a script"),
]

_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def _binary(head: bytes) -> Detection | None:
    if head.startswith(b"\xff\xd8\xff"):
        return _accept("image/jpeg", "image", "a JPEG image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _accept("image/png", "image", "a PNG image")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _accept("image/gif", "image", "a GIF image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _accept("image/webp", "image", "a WebP image")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _accept("image/tiff", "image", "a TIFF image")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _accept("audio/wav", "audio", "a WAV recording")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_AUDIO_BRANDS:
            return _accept("audio/mp4", "audio", "an M4A recording")
        if brand == b"qt  ":
            return _accept("video/quicktime", "video", "a QuickTime (MOV) video")
        return _accept("video/mp4", "video", "an MP4 video")
    if head[4:8] in _QUICKTIME_ATOMS and len(head) >= 8:
        return _accept("video/quicktime", "video", "a QuickTime (MOV) video")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return _accept("video/webm", "video", "a WebM video")
        return _accept("video/x-matroska", "video", "a Matroska (MKV) video")
    if head.startswith(b"ID3") or (
        len(head) > 1
        and head[0] == 0xFF
        and head[1]
        in (
            0xFB,
            0xFA,
            0xF3,
            0xF2,
            0xE3,
            0xE2,
        )
    ):
        return _accept("audio/mpeg", "audio", "an MP3 recording")
    if head.startswith(b"OggS"):
        return _accept("audio/ogg", "audio", "an Ogg recording")
    if head.startswith(b"%PDF-"):
        return _accept("application/pdf", "document", "a PDF document")
    for signature, name in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return _refuse(name)
    # Short signatures that text could also start with: their headers hold NUL bytes.
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return _refuse("a Windows executable")
    if head.startswith(b"BZh") and head[3:4].isdigit() and b"\x00" in head[:64]:
        return _refuse("a bzip2 archive")
    return None


_MARKUP = [
    (re.compile(r"<\?php", re.I), "a PHP script"),
    (re.compile(r"<svg[\s>/]", re.I), "an SVG image (SVG can carry scripts)"),
    (
        re.compile(
            r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]|<iframe[\s>]", re.I
        ),
        "an HTML document",
    ),
    (re.compile(r"^\s*<\?xml", re.I), "an XML document"),
]
# Code-shaped text, not words: "let me" does not match, "let x =" does.
_JAVASCRIPT = re.compile(
    r"\b(?:function\s*[\w$]*\s*\(|(?:var|let|const)\s+[\w$]+\s*=|(?:document|window)\.\w+"
    r"|(?:eval|alert|fetch|require)\s*\()|=>\s*[{(]",
)


def _text(head: bytes) -> Detection:
    if b"\x00" in head:
        return _refuse("an unrecognised binary format")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still text.
        if error.start < len(head) - 4:
            return _refuse("an unrecognised binary format")
        text = head[: error.start].decode("utf-8")
    text = text.lstrip("\ufeff")
    for pattern, name in _MARKUP:
        if pattern.search(text):
            return _refuse(name)
    if _JAVASCRIPT.search(text):
        return _refuse("JavaScript")
    return _accept("text/plain", "text", "plain text")


def detect(head: bytes) -> Detection:
    """What the bytes at the start of a file say it is."""
    if not head:
        return _refuse("an empty file")
    return _binary(head) or _text(head)
