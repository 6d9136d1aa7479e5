"""The file sniffer, type by type: every accepted type with its media type, every refused
one with the name the refusal gives. Bytes only: names and client types play no part."""

import pytest

from evidence.sniff import detect
from tests import files

ACCEPTED = [
    ("JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg", "image"),
    ("PNG", files.png(), "image/png", "image"),
    ("GIF87a", b"GIF87a\x01\x00\x01\x00", "image/gif", "image"),
    ("GIF89a", b"GIF89a\x01\x00\x01\x00", "image/gif", "image"),
    ("WebP", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp", "image"),
    ("TIFF, little-endian", b"II*\x00\x08\x00\x00\x00", "image/tiff", "image"),
    ("TIFF, big-endian", b"MM\x00*\x00\x00\x00\x08", "image/tiff", "image"),
    ("WAV", b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav", "audio"),
    ("M4A", b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4", "audio"),
    ("MOV by brand", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime", "video"),
    ("MOV by atom", b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "video/quicktime", "video"),
    ("MP4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4", "video"),
    ("WebM", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm", "video"),
    ("MKV", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "video/x-matroska",
     "video"),
    ("MP3 with ID3", b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg", "audio"),
    ("MP3 frame", b"\xff\xfb\x90\x64\x00", "audio/mpeg", "audio"),
    ("Ogg", b"OggS\x00\x02\x00\x00", "audio/ogg", "audio"),
    ("PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf", "document"),
    ("plain text, Cyrillic", "Войска вошли в Украину.\n".encode(), "text/plain", "text"),
    ("plain text, Arabic with BOM", "\ufeffدخلت القوات".encode(), "text/plain", "text"),
    ("text cut inside a character", "Танки".encode()[:-1], "text/plain", "text"),
    ("words that look like code", b"let me say what I saw: the column.", "text/plain", "text"),
]  # fmt: skip

REFUSED = [
    ("empty", b"", "an empty file"),
    ("ELF", b"\x7fELF\x02\x01\x01\x00", "an ELF executable"),
    ("Mach-O", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "a macOS executable"),
    ("Java class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "a macOS executable or Java class file"),
    ("WebAssembly", b"\x00asm\x01\x00\x00\x00", "a WebAssembly module"),
    ("ZIP", b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive (or an Office document or other "
     "ZIP-based file)"),
    ("gzip", b"\x1f\x8b\x08\x00", "a gzip archive"),
    ("RAR", b"Rar!\x1a\x07\x00", "a RAR archive"),
    ("7-Zip", b"7z\xbc\xaf\x27\x1c\x00\x04", "a 7-Zip archive"),
    ("old Office", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an old Microsoft Office document"),
    ("shell script", b"#!/bin/sh\nrm -rf /\n", "a script"),
    ("Windows executable", b"MZ\x90\x00\x03\x00\x00\x00", "a Windows executable"),
    ("bzip2", b"BZh91AY&SY\x00\x00", "a bzip2 archive"),
    ("PHP", b"<?php echo 1; ?>", "a PHP script"),
    ("SVG", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
     "an SVG image (SVG can carry scripts)"),
    ("HTML", b"<!DOCTYPE html><html><body>hi</body></html>", "an HTML document"),
    ("HTML fragment", b"Hello <script>alert(1)</script>", "an HTML document"),
    ("XML", b"<?xml version='1.0'?><a/>", "an XML document"),
    ("JavaScript", b"const x = document.cookie;", "JavaScript"),
    ("arrow function", b"items.map(x => { return x })", "JavaScript"),
    ("unknown binary", b"\x01\x02\x00\x03binary", "an unrecognised binary format"),
    ("invalid UTF-8", b"\xc3\x28 not text at all, and then more words follow", "an "
     "unrecognised binary format"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "head", "media_type", "family"), ACCEPTED,
                         ids=[row[0] for row in ACCEPTED])  # fmt: skip
def test_accepted_types_are_named_by_their_bytes(what, head, media_type, family):
    found = detect(head)
    assert (found.accepted, found.media_type, found.family) == (True, media_type, family)


@pytest.mark.parametrize(("what", "head", "name"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused_types_say_what_they_are(what, head, name):
    found = detect(head)
    assert (found.accepted, found.media_type, found.name) == (False, "", name)
