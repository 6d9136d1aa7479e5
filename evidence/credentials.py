"""Content credentials (C2PA) carried by an image or a video, read and validated at intake
with the Content Authenticity Initiative's own library (c2pa-python, over c2pa-rs).

What is kept, with the item: whether the file carries credentials and whether they hold
(valid: the signature and the hashes of the file match; trusted: and the signer is on a
trust list; invalid: something was changed after signing, or the manifest is broken), who
signed and when, the tool that made it, the actions declared (created, cropped, edited…),
the kind of source (a camera capture, or a generated image), and every validation failure
by its C2PA code. Nothing here is trusted blindly: a reviewer sees it beside the file.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

NONE, VALID, TRUSTED, INVALID, UNREADABLE = "none", "valid", "trusted", "invalid", "unreadable"
STATES = {"Valid": VALID, "Trusted": TRUSTED, "Invalid": INVALID}
# Present on every file whose signer is not on a trust list (we keep none): not a fault of
# the file, so reported apart from the failures.
UNTRUSTED = "signingCredential.untrusted"
# Actions that make or pass on a file without changing what it shows.
NOT_EDITS = {"c2pa.created", "c2pa.opened", "c2pa.placed", "c2pa.published", "c2pa.repackaged",
             "c2pa.transcoded", "c2pa.converted"}  # fmt: skip


def read_credentials(path: str, media_type: str) -> dict[str, Any]:
    """The credentials of the file at `path`, summarised (see the module's docstring)."""
    import c2pa  # the native library loads on first use, not with every page

    if media_type not in _supported():
        return {"state": NONE}
    try:
        with open(path, "rb") as stream:
            reader = c2pa.Reader.try_create(media_type, stream, context=_offline())
            if reader is None:
                return {"state": NONE}
            with reader:
                state = reader.get_validation_state()
                manifest = reader.get_active_manifest() or {}
                results = reader.get_validation_results() or {}
    except c2pa.C2paError as error:
        # Credentials that are there but cannot be read at all: as suspicious as broken ones.
        return {"state": UNREADABLE, "error": str(error)[:500]}
    return _summary(state, manifest, results)


def _offline():
    """The reader's settings: nothing fetched over the network while reading evidence (no
    remote manifest, no certificate revocation check), whatever the file points to; the
    signers' roots this instance trusts (C2PA_TRUST_ANCHORS), when it names some."""
    import c2pa

    config: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if settings.C2PA_TRUST_ANCHORS:
        try:
            anchors = Path(settings.C2PA_TRUST_ANCHORS).read_text(encoding="ascii")
        except (OSError, ValueError) as error:  # intake goes on; nobody is trusted meanwhile
            log.error("C2PA_TRUST_ANCHORS cannot be read, no signer is trusted: %s", error)
        else:
            config["verify"]["verify_trust"] = True
            config["trust"] = {"trust_anchors": anchors}
    return c2pa.Context.builder().with_settings(c2pa.Settings.from_dict(config)).build()


@functools.cache
def _supported() -> set[str]:
    import c2pa

    return set(c2pa.Reader.get_supported_mime_types())


def _summary(state: str | None, manifest: dict, results: dict) -> dict[str, Any]:
    signature = manifest.get("signature_info") or {}
    generators = manifest.get("claim_generator_info") or []
    actions: list[dict] = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            actions += (assertion.get("data") or {}).get("actions") or []
    names = [str(action.get("action", "")) for action in actions if action.get("action")]
    source = next((a.get("digitalSourceType") for a in actions if a.get("digitalSourceType")), None)
    active = results.get("activeManifest") or {}
    failures = [
        {"code": f.get("code", ""), "explanation": f.get("explanation", "")}
        for f in active.get("failure") or []
        if f.get("code") != UNTRUSTED
    ]
    untrusted = any(f.get("code") == UNTRUSTED for f in active.get("failure") or [])
    summary = {
        "state": STATES.get(state or "", INVALID),
        "signer": signature.get("common_name") or None,
        "issuer": signature.get("issuer") or None,
        "signed_at": signature.get("time") or None,
        "signer_trusted": not untrusted and state == "Trusted",
        "generator": " ".join(
            str(part) for part in (generators[0].get("name"), generators[0].get("version")) if part
        )
        if generators
        else (manifest.get("claim_generator") or None),
        "title": manifest.get("title") or None,
        "actions": names,
        "edits": [name for name in names if name not in NOT_EDITS],
        "source_type": source.rsplit("/", 1)[-1] if source else None,
        "ingredients": len(manifest.get("ingredients") or []),
        "failures": failures,
    }
    if failures and summary["state"] != INVALID:
        summary["state"] = INVALID  # a failure the library did not count against the file
    return summary


def is_flagged(credentials: dict | None) -> bool:
    """Credentials a reviewer must look at: broken, or not matching the file."""
    return bool(credentials) and credentials.get("state") in (INVALID, UNREADABLE)


# For people --------------------------------------------------------------------------------

ACTIONS = {
    "c2pa.created": _("created"),
    "c2pa.opened": _("opened"),
    "c2pa.placed": _("placed in another file"),
    "c2pa.cropped": _("cropped"),
    "c2pa.resized": _("resized"),
    "c2pa.orientation": _("rotated or flipped"),
    "c2pa.color_adjustments": _("colours adjusted"),
    "c2pa.filtered": _("filtered"),
    "c2pa.drawing": _("drawn on"),
    "c2pa.edited": _("edited"),
    "c2pa.edited.metadata": _("metadata edited"),
    "c2pa.redacted": _("redacted"),
    "c2pa.removed": _("something removed"),
    "c2pa.deleted": _("something deleted"),
    "c2pa.published": _("published"),
    "c2pa.transcoded": _("transcoded"),
    "c2pa.converted": _("converted"),
    "c2pa.repackaged": _("repackaged"),
}
SOURCES = {
    "digitalCapture": _("captured by a camera or recorder"),
    "negativeFilm": _("scanned from a film negative"),
    "positiveFilm": _("scanned from a film positive"),
    "print": _("scanned from a print"),
    "screenCapture": _("a screen capture"),
    "computationalCapture": _("captured with computational processing"),
    "trainedAlgorithmicMedia": _("generated by AI"),
    "compositeWithTrainedAlgorithmicMedia": _("partly generated by AI"),
    "algorithmicallyEnhanced": _("enhanced by an algorithm"),
    "algorithmicMedia": _("made by an algorithm"),
    "digitalArt": _("digital art"),
    "composite": _("a composite of several sources"),
    "compositeCapture": _("a composite of several captures"),
    "compositeSynthetic": _("a composite with synthetic elements"),
    "minorHumanEdits": _("a capture with minor human edits"),
    "dataDrivenMedia": _("made from data"),
    "virtualRecording": _("a recording of a virtual scene"),
}


SYNTHETIC = {
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
    "compositeSynthetic",
}


def described(credentials: dict | None) -> dict[str, Any]:
    """The stored summary with its codes in words, for the pages."""
    credentials = credentials or {}
    source = credentials.get("source_type")
    return {
        **credentials,
        "flagged": is_flagged(credentials),
        "action_words": [str(ACTIONS.get(a, a)) for a in credentials.get("actions", [])],
        "edit_words": [str(ACTIONS.get(a, a)) for a in credentials.get("edits", [])],
        "source_words": str(SOURCES.get(source, source)) if source else "",
        "synthetic": source in SYNTHETIC,
    }
