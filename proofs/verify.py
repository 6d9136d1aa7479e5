#!/usr/bin/env python3
"""Check a Corroborate dossier without trusting Corroborate.

    python verify.py DOSSIER.zip                      every hash, the signature, the timestamp
    python verify.py DOSSIER.zip --public-key KEY     ... signed by this key (PEM, or the
                                                      instance's published key list, JSON)
    python verify.py DOSSIER.zip --fetch-key          ... by a key the instance publishes
                                                      (fetched from the manifest's keys_url)
    python verify.py DOSSIER.zip --tsa-cert CERT      ... timestamped by this Time-Stamping
                                                      Authority (its certificate or its CA's)

DOSSIER may also be the folder the ZIP was unpacked into. Needs Python 3.9 or later and the
`cryptography` package, version 42 or later (pip install cryptography), nothing else. Each
check prints one line (OK, FAILED, or NOTE for what could not be checked and why); the exit
status is 1 when any check failed, 2 when the dossier is not there or a key or certificate
given cannot be read.

What it checks:
  ZIP         every byte outside the files' contents is where a ZIP writer puts it and says
              what the directory says (readers skip some of them: a forger could use them)
  files       every file the manifest lists is there, with its size and SHA-256, and nothing
              else is in the bundle
  SHA256SUMS  every line of SHA256SUMS (which also covers the manifest, its signature and
              its timestamp)
  manifest    the manifest is of the claims in the dossier
  signature   the manifest's Ed25519 signature, by the key it names (compared with the key
              given, or the published ones, when asked)
  timestamp   the RFC 3161 timestamp token: for this manifest, signed by a time-stamping
              certificate (issued by the certificate given, when given), at the time it says

This file is part of Corroborate, the claim-tracking workbench; it is copied into every
dossier so that the dossier can be checked offline, years later, without the server that
made it. It reads the timestamp token itself (a few lines of DER), so that nothing beyond
`cryptography` is needed; `openssl ts -verify` checks the same token independently.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import hashlib
import json
import sys
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

# The bundle's own files, beside the dossier's.
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
TOKEN = "manifest.json.tsr"
NO_TOKEN = "manifest.json.tsr-missing.txt"
SUMS = "SHA256SUMS"
SCRIPT = "verify.py"
MANIFEST_FORMAT = "corroborate-dossier-manifest"
KEYS_FORMAT = "corroborate-signing-keys"
SEALS = {MANIFEST, SIGNATURE, TOKEN, NO_TOKEN, SUMS}  # not listed in the manifest
CHUNK = 1 << 20


class Failed(Exception):
    """A check that failed: the message says what and where."""


# Keys --------------------------------------------------------------------------------------


def fingerprint(public_key) -> str:
    """sha256: and the hex SHA-256 of the raw 32-byte Ed25519 public key."""
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def load_public_key(pem: str | bytes):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise Failed("the public key is not an Ed25519 key")
    return key


class KnownKey(NamedTuple):
    key: object
    fingerprint: str
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None


def read_keys(data: bytes) -> list[KnownKey]:
    """A PEM public key, or an instance's published key list (JSON, with validity)."""
    text = data.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        listing = json.loads(text)
        if listing.get("format") != KEYS_FORMAT:
            raise Failed("the key list is not a Corroborate signing key list")
        found = []
        for entry in listing.get("keys", []):
            key = load_public_key(entry["public_key"])
            found.append(
                KnownKey(
                    key,
                    fingerprint(key),
                    _when(entry.get("valid_from")),
                    _when(entry.get("valid_until")),
                )
            )
        return found
    key = load_public_key(text)
    return [KnownKey(key, fingerprint(key), None, None)]


def _when(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# DER, as much of it as a timestamp token needs ---------------------------------------------


class Der(NamedTuple):
    tag: int
    content: bytes
    raw: bytes  # the whole element, tag and length included


def der(data: bytes, offset: int = 0) -> tuple[Der, int]:
    """The element at `offset`, and where the next one starts."""
    try:
        tag = data[offset]
        length = data[offset + 1]
        start = offset + 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4:
                raise Failed("not DER: an indefinite or oversized length")
            length = int.from_bytes(data[start : start + count], "big")
            start += count
    except IndexError:
        raise Failed("not DER: cut short") from None
    end = start + length
    if end > len(data):
        raise Failed("not DER: cut short")
    return Der(tag, data[start:end], data[offset:end]), end


def children(element: Der) -> list[Der]:
    found, offset = [], 0
    while offset < len(element.content):
        child, offset = der(element.content, offset)
        found.append(child)
    return found


def oid(element: Der) -> str:
    if element.tag != 0x06:
        raise Failed("not DER: an object identifier was expected")
    data, parts, value = element.content, [], 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    first = min(parts[0] // 40, 2)
    return ".".join(map(str, [first, parts[0] - 40 * first, *parts[1:]]))


def integer(element: Der) -> int:
    if element.tag != 0x02:
        raise Failed("not DER: an integer was expected")
    return int.from_bytes(element.content, "big", signed=True)


def generalized_time(element: Der) -> datetime.datetime:
    text = element.content.decode("ascii")
    if element.tag != 0x18 or not text.endswith("Z"):
        raise Failed("not DER: a UTC time was expected")
    whole, _, fraction = text[:-1].partition(".")
    moment = datetime.datetime.strptime(whole, "%Y%m%d%H%M%S")
    micro = int((fraction + "000000")[:6]) if fraction else 0
    return moment.replace(microsecond=micro, tzinfo=datetime.UTC)


SIGNED_DATA = "1.2.840.113549.1.7.2"
TST_INFO = "1.2.840.113549.1.9.16.1.4"
CONTENT_TYPE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
    "1.3.14.3.2.26": "sha1",
}
RSA_PSS = "1.2.840.113549.1.1.10"
ED25519 = "1.3.101.112"


class Stamp(NamedTuple):
    time: datetime.datetime
    authority: str  # the signing certificate's subject
    trusted_by: str  # the given certificate it chains to, or "" when none was given
    nonce: int | None  # the requester's, echoed


def check_timestamp(response: bytes, message: bytes, trusted: list | None = None) -> Stamp:
    """An RFC 3161 response (or a bare token) over `message`: its imprint, the signature of
    its signer, and (with `trusted` certificates) that the signer is one of them or was
    issued by one of them. Raises Failed naming what is wrong."""
    try:
        return _check_timestamp(response, message, trusted)
    except (IndexError, KeyError, TypeError, ValueError) as error:  # malformed inside
        raise Failed(f"the token cannot be read ({type(error).__name__}: {error})") from None


def _check_timestamp(response: bytes, message: bytes, trusted: list | None) -> Stamp:
    from cryptography import x509

    top, _ = der(response)
    parts = children(top)
    if parts and parts[0].tag == 0x30 and (not parts[0].content or parts[0].content[0] == 0x02):
        status = integer(children(parts[0])[0])  # a TimeStampResp: PKIStatusInfo first
        if status not in (0, 1):
            raise Failed(f"the authority refused to timestamp it (status {status})")
        if len(parts) < 2:
            raise Failed("the response holds no token")
        token = parts[1]
    else:
        token = top
    content_type, wrapped = children(token)[:2]
    if oid(content_type) != SIGNED_DATA:
        raise Failed("the token is not CMS signed data")
    signed = children(children(wrapped)[0])
    encapsulated = children(signed[2])
    if oid(encapsulated[0]) != TST_INFO:
        raise Failed("the token does not hold timestamp information")
    tst_raw = children(encapsulated[1])[0].content  # [0] EXPLICIT OCTET STRING: TSTInfo
    info = children(der(tst_raw)[0])
    imprint = children(info[2])
    algorithm = HASHES.get(oid(children(imprint[0])[0]))
    if algorithm is None or algorithm == "sha1":
        raise Failed("the token uses a hash this check does not accept")
    if hashlib.new(algorithm, message).digest() != imprint[1].content:
        raise Failed("the token is for another document: its imprint is not this one's hash")
    when = generalized_time(info[4])
    nonce = next((integer(part) for part in info[5:] if part.tag == 0x02), None)

    certificates = [
        x509.load_der_x509_certificate(child.raw)
        for part in signed[3:]
        if part.tag == 0xA0
        for child in children(part)
        if child.tag == 0x30
    ]
    signer_infos = [part for part in signed[3:] if part.tag == 0x31]
    if not signer_infos or not children(signer_infos[0]):
        raise Failed("the token has no signer")
    signer = children(children(signer_infos[0])[0])
    # A token may leave its signer's certificate out (the request said so): the one given.
    signer_certificate = _signer_certificate(signer[1], [*certificates, *(trusted or [])])
    digest = HASHES.get(oid(children(signer[2])[0]))
    attributes = signer[3]
    if attributes.tag != 0xA0 or digest is None:
        raise Failed("the token's signature covers no signed attributes")
    values = {}
    for attribute in children(attributes):
        name, found = children(attribute)
        values[oid(name)] = children(found)[0]
    if oid(values.get(CONTENT_TYPE, Der(0x06, b"", b""))) != TST_INFO:
        raise Failed("the token's signed attributes name another content type")
    if (
        values.get(MESSAGE_DIGEST, Der(0, b"", b"")).content
        != hashlib.new(digest, tst_raw).digest()
    ):
        raise Failed("the token's timestamp information was altered")
    _check_signature(
        signer_certificate,
        b"\x31" + attributes.raw[1:],  # signed as a SET OF, stored as [0] IMPLICIT
        signer[5].content,
        oid(children(signer[4])[0]),
        digest,
    )
    _check_timestamping_certificate(signer_certificate, when)
    authority = signer_certificate.subject.rfc4514_string()
    if not trusted:
        return Stamp(when, authority, "", nonce)
    anchor = _chain_to(signer_certificate, certificates, trusted)
    return Stamp(when, authority, anchor.subject.rfc4514_string(), nonce)


def _signer_certificate(identifier: Der, certificates: list):
    from cryptography import x509

    for certificate in certificates:
        if identifier.tag == 0x30:  # issuer and serial number
            issuer, serial = children(identifier)
            if (
                certificate.serial_number == integer(serial)
                and certificate.issuer.public_bytes() == issuer.raw
            ):
                return certificate
        elif identifier.tag == 0x80:  # subject key identifier
            try:
                extension = certificate.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier
                )
            except x509.ExtensionNotFound:
                continue
            if extension.value.digest == identifier.content:
                return certificate
    raise Failed("the token does not carry its signer's certificate")


def _check_signature(certificate, data: bytes, signature: bytes, algorithm: str, digest: str):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    key = certificate.public_key()
    chosen = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
    if digest not in chosen:
        raise Failed("the token is signed over a hash this check does not accept")
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        elif isinstance(key, rsa.RSAPublicKey):
            scheme = (
                padding.PSS(padding.MGF1(chosen[digest]()), padding.PSS.AUTO)
                if algorithm == RSA_PSS
                else padding.PKCS1v15()
            )
            key.verify(signature, data, scheme, chosen[digest]())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(chosen[digest]()))
        else:
            raise Failed("the token is signed with a key of a kind this check does not know")
    except InvalidSignature:
        raise Failed("the token's signature does not match: it was altered") from None


def _check_timestamping_certificate(certificate, when: datetime.datetime) -> None:
    from cryptography import x509

    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usage = []
    if TIME_STAMPING not in {purpose.dotted_string for purpose in usage}:
        raise Failed("the token's signer is not a time-stamping certificate")
    if not certificate.not_valid_before_utc <= when <= certificate.not_valid_after_utc:
        raise Failed("the token's time is outside its signer's certificate validity")


def _chain_to(certificate, carried: list, trusted: list):
    """The trusted certificate `certificate` is, or chains up to through the ones carried."""
    wanted = {anchor.fingerprint(_sha256()): anchor for anchor in trusted}
    current = certificate
    for _step in range(8):
        if current.fingerprint(_sha256()) in wanted:
            return current
        for issuer in [*trusted, *carried]:
            if issuer.subject == current.issuer and issuer is not current:
                try:
                    current.verify_directly_issued_by(issuer)
                except Exception:
                    continue
                if issuer.fingerprint(_sha256()) in wanted:
                    return issuer
                current = issuer
                break
        else:
            break
    raise Failed("the token's signer was not issued by the time-stamping certificate given")


def _sha256():
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


# The ZIP itself ------------------------------------------------------------------------------
# Readers trust a ZIP's central directory and skip much of the rest (a local header's time,
# a data descriptor, attributes): bytes a forger could change unseen. So every byte must be
# where a ZIP writer such as ours puts it, and say what the central directory says.

LOCAL, CENTRAL, DESCRIPTOR = 0x04034B50, 0x02014B50, 0x08074B50
END, END64, LOCATOR64 = 0x06054B50, 0x06064B50, 0x07064B50
FULL32, FULL16 = 0xFFFFFFFF, 0xFFFF
VERSIONS = {20, 45}  # what zipfile writes: plain, and ZIP64
SYSTEMS = {0, 3}  # written on Windows, on Unix
ATTRIBUTES = {0, 0o600 << 16}  # a member opened for writing, a member written whole
STORED, DEFLATED = 0, 8


def _u(data: bytes, offset: int, size: int) -> int:
    if offset < 0 or offset + size > len(data):
        raise Failed("it is cut short")
    return int.from_bytes(data[offset : offset + size], "little")


def _zip64_values(extra: bytes, wanted: list[str]) -> tuple[dict[str, int], bool]:
    """The ZIP64 extra field's values for `wanted` fields, and whether the extra holds
    nothing else."""
    values, offset, only = {}, 0, True
    while offset < len(extra):
        if offset + 4 > len(extra):
            raise Failed("an extra field is cut short")
        kind, size = _u(extra, offset, 2), _u(extra, offset + 2, 2)
        body = extra[offset + 4 : offset + 4 + size]
        if len(body) != size:
            raise Failed("an extra field is cut short")
        if kind == 0x0001:
            for position, name in enumerate(wanted):
                if 8 * position + 8 <= size:
                    values[name] = _u(body, 8 * position, 8)
            if size != 8 * len(wanted) and not (size == 16 and len(wanted) == 2):
                only = False
        else:
            only = False
        offset += 4 + size
    return values, only


def check_structure(path: Path) -> list[str]:
    """Every place where the ZIP at `path` is not as a ZIP writer left it: each local
    header against its central entry, data descriptors, the entries back to back, the
    directory, its end records, nothing before, between or after. One line each."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        length = handle.tell()
        tail_size = min(length, 1 << 16)
        handle.seek(length - tail_size)
        tail = handle.read()
        problems: list[str] = []
        try:
            entries, directory_start, directory_end = _directory(handle, tail, length, problems)
            expected = 0
            for entry in sorted(entries, key=lambda e: e["offset"]):
                if entry["offset"] != expected:
                    problems.append(f"{entry['name']}: bytes before it that belong to no file")
                expected = _local(handle, entry, problems)
            if expected != directory_start:
                problems.append("bytes between the last file and the directory")
            if directory_end != length:
                problems.append("bytes after the end of the ZIP")
        except Failed as error:
            problems.append(f"its structure cannot be read: {error}")
        except (OSError, ValueError, OverflowError):  # an offset past any file
            problems.append("its structure cannot be read: an offset points nowhere")
    return problems


def _directory(handle, tail: bytes, length: int, problems: list[str]):
    at = len(tail) - 22
    if at < 0 or _u(tail, at, 4) != END:
        raise Failed("no end record where it must be (a comment was added, or bytes after it)")
    disk, start_disk = _u(tail, at + 4, 2), _u(tail, at + 6, 2)
    here, total = _u(tail, at + 8, 2), _u(tail, at + 10, 2)
    size, offset, comment = _u(tail, at + 12, 4), _u(tail, at + 16, 4), _u(tail, at + 20, 2)
    if disk or start_disk or comment or here != total:
        problems.append("its end record was altered")
    end_start = length - 22
    locator = at - 20
    if locator >= 0 and _u(tail, locator, 4) == LOCATOR64:  # ZIP64 end records too
        if _u(tail, locator + 4, 4) or _u(tail, locator + 16, 4) != 1:
            problems.append("its ZIP64 locator was altered")
        record = _u(tail, locator + 8, 8)
        handle.seek(record)
        big = handle.read(56)
        if _u(big, 0, 4) != END64 or _u(big, 4, 8) != 44:
            raise Failed("no ZIP64 end record where its locator says")
        if _u(big, 12, 2) not in VERSIONS or _u(big, 14, 2) not in VERSIONS:
            problems.append("its ZIP64 end record was altered")
        if _u(big, 16, 4) or _u(big, 20, 4) or _u(big, 24, 8) != _u(big, 32, 8):
            problems.append("its ZIP64 end record was altered")
        total, size, offset = _u(big, 32, 8), _u(big, 40, 8), _u(big, 48, 8)
        if record != offset + size or record + 56 != length - 22 - 20:
            problems.append("bytes between the directory and its end records")
        small = (min(total, FULL16), min(total, FULL16), min(size, FULL32), min(offset, FULL32))
        if (here, _u(tail, at + 10, 2), _u(tail, at + 12, 4), _u(tail, at + 16, 4)) != small:
            problems.append("its end record disagrees with its ZIP64 end record")
        end_start = record
    elif FULL16 in (here, total) or FULL32 in (size, offset):
        raise Failed("no ZIP64 locator before the end record")
    elif offset + size != end_start:
        problems.append("bytes between the directory and its end record")
    if offset + size > length:
        raise Failed("its directory lies past the end of the file")
    handle.seek(offset)
    directory = handle.read(size)
    entries, cursor = [], 0
    while cursor < len(directory):
        entry = _central(directory, cursor, problems)
        entries.append(entry)
        cursor = entry["next"]
    if len(entries) != total:
        problems.append("its end record counts another number of files")
    return entries, offset, length


def _central(data: bytes, at: int, problems: list[str]) -> dict:
    if _u(data, at, 4) != CENTRAL:
        raise Failed("a directory entry is not where the previous one ends")
    made_version, made_system = data[at + 4], data[at + 5]
    names, extras, comments = _u(data, at + 28, 2), _u(data, at + 30, 2), _u(data, at + 32, 2)
    if at + 46 + names + extras + comments > len(data):
        raise Failed("a directory entry runs past the directory's end")
    name = data[at + 46 : at + 46 + names].decode("utf-8", "replace")
    extra = data[at + 46 + names : at + 46 + names + extras]
    entry = {
        "name": name,
        "raw_name": data[at + 46 : at + 46 + names],
        "version": _u(data, at + 6, 2),
        "flags": _u(data, at + 8, 2),
        "method": _u(data, at + 10, 2),
        "time": _u(data, at + 12, 4),
        "crc": _u(data, at + 16, 4),
        "compressed": _u(data, at + 20, 4),
        "size": _u(data, at + 24, 4),
        "offset": _u(data, at + 42, 4),
        "next": at + 46 + names + extras + comments,
    }
    wanted = [f for f in ("size", "compressed", "offset") if entry[f] == FULL32]
    values, only = _zip64_values(extra, wanted)
    if set(values) != set(wanted) or not only:
        problems.append(f"{name}: its directory entry's extra field was altered")
    entry.update(values)
    if (
        made_version not in VERSIONS
        or made_system not in SYSTEMS
        or entry["version"] not in VERSIONS
        or entry["method"] not in (STORED, DEFLATED)
        or entry["flags"] & ~0x0808
        or comments
        or _u(data, at + 34, 2)  # disk
        or _u(data, at + 36, 2)  # internal attributes
        or _u(data, at + 38, 4) not in ATTRIBUTES
    ):
        problems.append(f"{name}: its directory entry was altered")
    return entry


def _local(handle, entry: dict, problems: list[str]) -> int:
    """Check the file's local header, data and descriptor; where the next one must start."""
    name = entry["name"]
    handle.seek(entry["offset"])
    header = handle.read(30)
    if _u(header, 0, 4) != LOCAL:
        raise Failed(f"{name}: no local header where the directory says")
    names, extras = _u(header, 26, 2), _u(header, 28, 2)
    rest = handle.read(names + extras)
    if len(rest) != names + extras:
        raise Failed(f"{name}: its local header runs past the end")
    extra = rest[names:]
    if (
        rest[:names] != entry["raw_name"]
        # The directory asks for ZIP64 when the file starts past 2 GiB, its header did not.
        or _u(header, 4, 2) not in VERSIONS
        or _u(header, 4, 2) > entry["version"]
        or _u(header, 6, 2) != entry["flags"]
        or _u(header, 8, 2) != entry["method"]
        or _u(header, 10, 4) != entry["time"]
    ):
        problems.append(f"{name}: its local header disagrees with the directory")
    crc, compressed, size = _u(header, 14, 4), _u(header, 18, 4), _u(header, 22, 4)
    values, only = _zip64_values(extra, ["size", "compressed"])
    if not only or (extra and set(values) != {"size", "compressed"}):
        problems.append(f"{name}: its local header's extra field was altered")
    if extra:  # ZIP64: the header's own sizes say "see the extra field", and only that
        if (compressed, size) != (FULL32, FULL32):
            problems.append(f"{name}: its local header was altered")
        compressed, size = values.get("compressed", -1), values.get("size", -1)
    described = entry["flags"] & 0x08
    known = (crc, compressed, size)
    if known != (entry["crc"], entry["compressed"], entry["size"]) and not (
        described and known == (0, 0, 0)
    ):
        problems.append(f"{name}: its local header disagrees with the directory")
    end = entry["offset"] + 30 + names + extras + entry["compressed"]
    if described:
        handle.seek(end)
        wide = bool(extra)  # ZIP64 members carry 8-byte sizes in their descriptor
        descriptor = handle.read(24 if wide else 16)
        if _u(descriptor, 0, 4) != DESCRIPTOR:
            raise Failed(f"{name}: no data descriptor after its data")
        width = 8 if wide else 4
        said = (
            _u(descriptor, 4, 4),
            _u(descriptor, 8, width),
            _u(descriptor, 8 + width, width),
        )
        if said != (entry["crc"], entry["compressed"], entry["size"]):
            problems.append(f"{name}: its data descriptor disagrees with the directory")
        end += 4 + 4 + 2 * width
    return end


# The bundle ---------------------------------------------------------------------------------


class Bundle:
    """A dossier ZIP, or the folder it was unpacked into."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.archive = None if path.is_dir() else zipfile.ZipFile(path)
        self._hashed: dict[str, tuple[int, str]] = {}  # the manifest's and SHA256SUMS' checks

    def names(self) -> list[str]:
        if self.archive is not None:
            return [info.filename for info in self.archive.infolist() if not info.is_dir()]
        return sorted(
            str(file.relative_to(self.path).as_posix())
            for file in self.path.rglob("*")
            if file.is_file()
        )

    def chunks(self, name: str) -> Iterator[bytes]:
        if self.archive is not None:
            handle = self.archive.open(name)
        else:
            handle = open(self.path / name, "rb")  # noqa: SIM115 - closed below
        with handle:
            yield from iter(lambda: handle.read(CHUNK), b"")

    def read(self, name: str) -> bytes:
        """A small member whole; Failed if the ZIP says it is damaged."""
        try:
            return b"".join(self.chunks(name))
        except Exception as error:  # whatever a hostile ZIP makes zipfile raise
            raise Failed(f"{name} cannot be read: {error}") from None

    def hash(self, name: str) -> tuple[int, str]:
        """Size and SHA-256 of a member, read in chunks once (both checks ask); Failed if the
        ZIP says it is damaged."""
        if name in self._hashed:
            return self._hashed[name]
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in self.chunks(name):
                digest.update(chunk)
                size += len(chunk)
        except Exception as error:  # whatever a hostile ZIP makes zipfile raise
            raise Failed(f"{name} cannot be read: {error}") from None
        self._hashed[name] = size, digest.hexdigest()
        return self._hashed[name]


class Report:
    """One line a check; remembers whether any failed."""

    def __init__(self, out=None) -> None:
        self.out = out or sys.stdout
        self.failed = False

    def ok(self, check: str, text: str) -> None:
        self._line("OK", check, text)

    def fail(self, check: str, text: str) -> None:
        self.failed = True
        self._line("FAILED", check, text)

    def note(self, check: str, text: str) -> None:
        self._line("NOTE", check, text)

    def _line(self, outcome: str, check: str, text: str) -> None:
        self.out.write(f"{outcome:<7} {check}: {text}\n")


def verify(
    path: Path,
    *,
    keys: list[KnownKey] | None = None,
    fetch_keys: Callable[[str], bytes] | None = None,
    tsa_certificates: list | None = None,
    out=None,
) -> bool:
    """Run every check on the dossier at `path`; True when none failed."""
    report = Report(out)
    try:
        bundle = Bundle(path)
        names = bundle.names()
    except Exception as error:  # whatever a hostile ZIP makes zipfile raise
        report.fail("bundle", f"{path} cannot be read: {error}")
        return False
    if bundle.archive is not None:
        _check_zip(path, report)
    if MANIFEST not in names:
        report.fail("manifest", f"the bundle holds no {MANIFEST}")
        _check_sums(bundle, names, report)
        return False
    try:
        manifest_bytes = bundle.read(MANIFEST)
    except Failed as error:
        report.fail("manifest", str(error))
        _check_sums(bundle, names, report)
        return False
    try:
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError("not a Corroborate dossier manifest")
    except ValueError as error:
        report.fail("manifest", f"{MANIFEST} cannot be read: {error}")
        _check_sums(bundle, names, report)
        _check_signature_of(bundle, names, manifest_bytes, None, keys, None, report)
        _check_token(bundle, names, manifest_bytes, tsa_certificates, report)
        return False
    _check_files(bundle, names, manifest, report)
    _check_sums(bundle, names, report)
    _check_claims(bundle, names, manifest, report)
    _check_signature_of(bundle, names, manifest_bytes, manifest, keys, fetch_keys, report)
    _check_token(bundle, names, manifest_bytes, tsa_certificates, report)
    return not report.failed


def _check_zip(path: Path, report: Report) -> None:
    problems = check_structure(path)
    for problem in problems:
        report.fail("ZIP", problem)
    if not problems:
        report.ok("ZIP", "every header, descriptor and directory entry agrees, nothing added")


def _check_files(bundle: Bundle, names: list[str], manifest: dict, report: Report) -> None:
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    wrong = 0
    for name, entry in listed.items():
        if name not in names:
            report.fail("files", f"{name} is missing")
            wrong += 1
            continue
        try:
            size, sha256 = bundle.hash(name)
        except Failed as error:
            report.fail("files", str(error))
            wrong += 1
            continue
        if (size, sha256) != (entry["size"], entry["sha256"]):
            report.fail(
                "files", f"{name} was altered: its SHA-256 is {sha256}, not {entry['sha256']}"
            )
            wrong += 1
    for name in names:
        if name not in listed and name not in SEALS:
            report.fail("files", f"{name} is not in the manifest: it was added")
            wrong += 1
    for name in sorted(name for name, seen in collections.Counter(names).items() if seen > 1):
        report.fail("files", f"{name} is in the bundle twice: one of them was added")
        wrong += 1
    if not wrong:
        report.ok("files", f"all {len(listed)} files match the manifest's SHA-256 and sizes")


def _check_sums(bundle: Bundle, names: list[str], report: Report) -> None:
    if SUMS not in names:
        report.fail(SUMS, f"the bundle holds no {SUMS}")
        return
    try:
        lines = bundle.read(SUMS).decode("utf-8", "replace").splitlines()
    except Failed as error:
        report.fail(SUMS, str(error))
        return
    wrong = 0
    for line in lines:
        expected, _, name = line.partition("  ")
        if name not in names:
            report.fail(SUMS, f"{name} is missing")
            wrong += 1
            continue
        try:
            _size, sha256 = bundle.hash(name)
        except Failed as error:
            report.fail(SUMS, str(error))
            wrong += 1
            continue
        if sha256 != expected:
            report.fail(SUMS, f"{name} does not match its line")
            wrong += 1
    if not wrong:
        report.ok(SUMS, f"all {len(lines)} lines match")


def _check_claims(bundle: Bundle, names: list[str], manifest: dict, report: Report) -> None:
    """The manifest names the claims of the dossier.json files beside it."""
    found = []
    for name in names:
        if name == "dossier.json" or name.endswith("/dossier.json"):
            try:
                found.append(json.loads(bundle.read(name))["claim"]["uuid"])
            except (ValueError, KeyError, TypeError, Failed):
                report.fail("manifest", f"{name} cannot be read")
                return
    if sorted(found) != sorted(manifest.get("claims", [])):
        report.fail(
            "manifest",
            f"it is of claim(s) {', '.join(manifest.get('claims', [])) or 'none'}, the dossier of "
            f"{', '.join(found) or 'none'}: it comes from another dossier",
        )
    else:
        instance = manifest.get("instance", {})
        report.ok(
            "manifest",
            f"of claim {', '.join(found)}, exported {manifest.get('exported_at')} by "
            f"{manifest.get('exported_by') or 'the command line'} from "
            f"{instance.get('name')} ({instance.get('url')})",
        )


def _check_signature_of(bundle, names, manifest_bytes, manifest, keys, fetch_keys, report):
    """The signature, by the given keys (or the published ones, fetched), else by the key
    the manifest names; `manifest` is None when it cannot be read (its bytes still can)."""
    from cryptography.exceptions import InvalidSignature

    if SIGNATURE not in names:
        report.fail("signature", f"the bundle holds no {SIGNATURE}")
        return
    try:
        signature = bundle.read(SIGNATURE)
    except Failed as error:
        report.fail("signature", str(error))
        return

    def signed_by(key) -> bool:
        try:
            key.verify(signature, manifest_bytes)
        except InvalidSignature:
            return False
        return True

    named = None
    if manifest is not None:
        try:
            named = load_public_key(manifest.get("signing_key", {}).get("public_key", ""))
        except (Failed, ValueError):
            report.fail("signature", "the manifest's public key cannot be read")
            return
        if fingerprint(named) != manifest.get("signing_key", {}).get("fingerprint"):
            report.fail(
                "signature", "the manifest's public key is not the one its fingerprint names"
            )
            return
    if keys is None and fetch_keys is not None and manifest is not None:
        url = manifest.get("instance", {}).get("keys_url", "")
        try:
            keys = read_keys(fetch_keys(url))
        except (OSError, ValueError, Failed) as error:
            report.fail("signature", f"the published keys could not be read from {url}: {error}")
            return
    if keys is None:
        if named is None:
            report.fail("signature", "it cannot be checked: the manifest cannot be read")
        elif signed_by(named):
            report.ok(
                "signature",
                f"valid, by key {fingerprint(named)}; compare it with the key its instance "
                "publishes (--public-key or --fetch-key)",
            )
        else:
            report.fail("signature", "it does not match the manifest: one of them was altered")
        return
    exported = _when(manifest.get("exported_at")) if manifest is not None else None
    for known in keys:
        if not signed_by(known.key):
            continue
        if exported and (
            (known.valid_from and exported < known.valid_from)
            or (known.valid_until and exported > known.valid_until)
        ):
            report.fail(
                "signature", f"key {known.fingerprint} was not in use on {exported:%Y-%m-%d %H:%M}"
            )
            return
        report.ok("signature", f"valid, by the given key {known.fingerprint}")
        return
    if named is not None and signed_by(named):
        report.fail(
            "signature", f"signed by key {fingerprint(named)}, which is not among the keys given"
        )
    else:
        report.fail("signature", "it does not match the manifest: one of them was altered")


def _check_token(bundle, names, manifest_bytes, tsa_certificates, report) -> None:
    if TOKEN not in names:
        try:
            why = (
                bundle.read(NO_TOKEN).decode("utf-8", "replace").strip()
                if NO_TOKEN in names
                else ""
            )
        except Failed as error:
            report.fail("timestamp", str(error))
            return
        report.note("timestamp", f"none: {why or 'the bundle holds no timestamp token'}")
        return
    try:
        stamp = check_timestamp(bundle.read(TOKEN), manifest_bytes, tsa_certificates)
    except (Failed, ValueError, IndexError) as error:
        report.fail("timestamp", str(error) or "the token cannot be read")
        return
    when = stamp.time.strftime("%Y-%m-%d %H:%M:%S UTC")
    if stamp.trusted_by:
        report.ok(
            "timestamp",
            f"the manifest existed on {when}, says {stamp.authority}, issued by {stamp.trusted_by}",
        )
    else:
        report.ok(
            "timestamp",
            f"the manifest existed on {when}, says {stamp.authority} "
            "(give its certificate with --tsa-cert to check who that is)",
        )


def fetch(url: str) -> bytes:
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ValueError(f"not a web address: {url!r}")
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read(1 << 20)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The script's arguments (manage.py verify_dossier takes the same)."""
    parser.add_argument(
        "dossier", type=Path, help="the dossier ZIP, or the folder it was unpacked into"
    )
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument(
        "--public-key", type=Path, help="the instance's public key (PEM) or key list (JSON)"
    )
    keys.add_argument(
        "--fetch-key", action="store_true", help="fetch the instance's published keys"
    )
    parser.add_argument(
        "--tsa-cert", type=Path, action="append", default=[],
        help="the Time-Stamping Authority's certificate, or its CA's (PEM; may be repeated)",
    )  # fmt: skip


def given(
    public_key: Path | None, tsa_cert: list[Path]
) -> tuple[list[KnownKey] | None, list | None]:
    """The keys and certificates named on the command line, read (OSError, ValueError or
    Failed when one cannot be)."""
    from cryptography import x509

    keys = read_keys(public_key.read_bytes()) if public_key else None
    certificates = [
        certificate
        for path in tsa_cert
        for certificate in x509.load_pem_x509_certificates(path.read_bytes())
    ]
    return keys, certificates or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a Corroborate dossier, offline.")
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        import cryptography  # noqa: F401 - only to say so when it is missing
    except ImportError:
        print("verify.py needs the cryptography package: pip install cryptography", file=sys.stderr)
        return 2
    if not options.dossier.exists():
        print(f"{options.dossier}: no such file or folder", file=sys.stderr)
        return 2
    try:
        keys, certificates = given(options.public_key, options.tsa_cert)
    except (OSError, ValueError, Failed) as error:
        print(f"cannot read a key or certificate given: {error}", file=sys.stderr)
        return 2
    passed = verify(
        options.dossier,
        keys=keys,
        fetch_keys=fetch if options.fetch_key else None,
        tsa_certificates=certificates,
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
