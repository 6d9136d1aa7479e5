"""RFC 3161 timestamps from the Time-Stamping Authority at TIMESTAMP_URL: for a dossier's
manifest, and for the history's head on a schedule. An authority that is down, slow or
refusing never fails the work that asked: the caller gets TimestampUnavailable with the
reason, to say in the dossier (and a command adds the timestamp later)."""

from __future__ import annotations

import urllib.error
import urllib.request
from functools import cache

import rfc3161_client
from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from proofs.models import HeadTimestamp
from proofs.verify import Failed, Stamp, check_timestamp

MAX_RESPONSE = 1 << 20  # a token is a few kilobytes; anything this big is not one


class TimestampUnavailable(Exception):
    """No timestamp now; the message says why, for people."""


@cache
def _trusted(path: str) -> tuple[x509.Certificate, ...]:
    with open(path, "rb") as pem:
        return tuple(x509.load_pem_x509_certificates(pem.read()))


def trusted_authorities() -> list[x509.Certificate] | None:
    """The certificates TIMESTAMP_CA_FILE names (the authority's, or its CA's), if set."""
    if not settings.TIMESTAMP_CA_FILE:
        return None
    return list(_trusted(settings.TIMESTAMP_CA_FILE))


def timestamp(data: bytes) -> tuple[bytes, Stamp]:
    """The authority's response (DER) over `data`, checked: for this data, with our nonce,
    signed by a time-stamping certificate (issued by TIMESTAMP_CA_FILE's, when set)."""
    url = settings.TIMESTAMP_URL
    if not url:
        raise TimestampUnavailable(
            _("This instance has no Time-Stamping Authority configured (TIMESTAMP_URL).")
        )
    request = rfc3161_client.TimestampRequestBuilder().data(data).nonce(nonce=True)
    request = request.cert_request(cert_request=True).build()
    sent = urllib.request.Request(
        url,
        data=request.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(sent, timeout=settings.TIMESTAMP_TIMEOUT) as answer:
            body = answer.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise TimestampUnavailable(
            _("The Time-Stamping Authority at %(url)s did not answer: %(reason)s")
            % {"url": url, "reason": reason}
        ) from None
    try:
        if len(body) > MAX_RESPONSE:
            raise Failed(_("the answer is too large to be a timestamp"))
        # Read by the verifier every dossier carries (one reading of tokens, and a lenient
        # one: authorities send certificate sets out of DER order, which strict decoders
        # refuse).
        stamp = check_timestamp(body, data, trusted_authorities())
        if stamp.nonce != request.nonce:
            raise Failed(_("the answer is not to this request (another nonce)"))
    except (Failed, ValueError) as error:
        raise TimestampUnavailable(
            _("The Time-Stamping Authority at %(url)s gave no valid timestamp: %(reason)s")
            % {"url": url, "reason": error}
        ) from None
    return body, stamp


def head_message(seq: int, hash_: str) -> bytes:
    """What a history timestamp covers: the entry number and the head hash, as text (so
    that anyone can recompute it: printf '%s:%s' SEQ HASH)."""
    return f"{seq}:{hash_}".encode()


def timestamp_head() -> HeadTimestamp | None:
    """Timestamp the history's current head, unless it already is; None when it was."""
    seq, hash_ = history.head_seq(), history.head_hash()
    if HeadTimestamp.objects.filter(seq=seq, hash=hash_).exists():
        return None
    token, stamp = timestamp(head_message(seq, hash_))
    with transaction.atomic():
        return HeadTimestamp.objects.create(
            seq=seq, hash=hash_, stamped_at=stamp.time, authority=stamp.authority, token=token
        )


def head_witness_problems() -> list[str]:
    """Each stored history timestamp that no longer vouches for the chain: its token is
    damaged or for another head, or the chain no longer holds that head at that entry."""
    from core.models import HistoryEntry

    problems = []
    trusted = trusted_authorities()
    for witness in HeadTimestamp.objects.order_by("seq").iterator():
        try:
            check_timestamp(bytes(witness.token), head_message(witness.seq, witness.hash), trusted)
        except (Failed, ValueError, IndexError) as error:
            problems.append(
                _("the timestamp of entry %(seq)d is not valid: %(reason)s")
                % {"seq": witness.seq, "reason": error}
            )
            continue
        if not HistoryEntry.objects.filter(seq=witness.seq, hash=witness.hash).exists():
            problems.append(
                _(
                    "entry %(seq)d no longer has the hash timestamped on %(date)s: the chain "
                    "was rewritten"
                )
                % {"seq": witness.seq, "date": f"{witness.stamped_at:%Y-%m-%d %H:%M}"}
            )
    return problems


def now_or_reason(data: bytes) -> tuple[bytes | None, str]:
    """A timestamp token over `data`, or None and why there is none (for the dossier)."""
    try:
        return timestamp(data)[0], ""
    except TimestampUnavailable as error:
        return None, f"{timezone.now():%Y-%m-%d %H:%M} UTC: {error}"
