"""Claims from a CSV file: every row is checked and shown before anything is saved.

Columns (a header row is required, in any order; only statement is required):
statement, first_made (2014, June 2014 or 12 June 2014), details, verdict, tags (separated
by ";"), source_outlet, source_url.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from claims import services
from claims.models import Claim, Verdict
from core.dates import PartialDate
from investigations.models import Investigation

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("statement", "first_made", "details", "verdict", "tags", "source_outlet", "source_url")
_SALT = "corroborate.csv-import"
_VERDICTS = {value: value for value in Verdict.values} | {
    str(label).lower(): value for value, label in Verdict.choices
}


class CsvError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Row:
    line: int
    statement: str = ""
    made: PartialDate | None = None
    details: str = ""
    verdict: str = Verdict.UNVERIFIED
    tags: list[str] = field(default_factory=list)
    source_outlet: str = ""
    source_url: str = ""
    errors: list[str] = field(default_factory=list)


def read_upload(upload) -> str:
    if upload.size > MAX_BYTES:
        raise CsvError(
            _("The file is over %(mb)s MB; split it into parts.")
            % {"mb": MAX_BYTES // 1024 // 1024}
        )
    data = b"".join(upload.chunks())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from None


def parse(text: str) -> list[Row]:
    """Every row with its problems, by line number; raises CsvError for the whole file."""
    if "\x00" in text:
        raise CsvError(_("The file is not a CSV file (it holds binary data)."))
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "statement" not in headers:
        raise CsvError(
            _(
                "The first row must name the columns, including “statement”. "
                "Known columns: %(known)s."
            )
            % {"known": ", ".join(COLUMNS)}
        )
    unknown = sorted(set(headers) - set(COLUMNS))
    if unknown:
        raise CsvError(
            _("Unknown column(s): %(unknown)s. Known: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    reader.fieldnames = headers
    existing = set(Claim.objects.values_list("statement", flat=True))
    rows, seen = [], set()
    for record in reader:
        if len(rows) >= MAX_ROWS:
            raise CsvError(
                _("More than %(max)s rows: split the file into parts.") % {"max": MAX_ROWS}
            )
        row = Row(line=reader.line_num)
        values = {k: (v or "").strip() for k, v in record.items() if k}
        row.statement = " ".join(values.get("statement", "").split())
        if not row.statement:
            row.errors.append(_("The statement is empty."))
        elif len(row.statement) > Claim.STATEMENT_MAX_LENGTH:
            row.errors.append(
                _("The statement is longer than %(max)s characters.")
                % {"max": Claim.STATEMENT_MAX_LENGTH}
            )
        elif row.statement in existing:
            row.errors.append(_("A claim with this statement already exists."))
        elif row.statement in seen:
            row.errors.append(_("The same statement is on an earlier row."))
        seen.add(row.statement)
        if values.get("first_made"):
            try:
                row.made = PartialDate.parse(values["first_made"])
            except ValueError as error:
                row.errors.append(str(error))
        row.details = values.get("details", "")
        verdict = values.get("verdict", "").lower()
        if verdict:
            if verdict in _VERDICTS:
                row.verdict = _VERDICTS[verdict]
            else:
                row.errors.append(
                    _("Unknown verdict “%(verdict)s”.") % {"verdict": values["verdict"]}
                )
        row.tags = [t.strip() for t in values.get("tags", "").split(";") if t.strip()]
        row.source_outlet, row.source_url = (
            values.get("source_outlet", ""),
            values.get("source_url", ""),
        )
        if row.source_url:
            try:
                URLValidator()(row.source_url)
            except ValidationError:
                row.errors.append(_("“%(url)s” is not a web address.") % {"url": row.source_url})
            if not row.source_outlet:
                row.errors.append(_("A source needs its outlet as well as its address."))
        elif row.source_outlet:
            row.errors.append(_("A source needs its address as well as its outlet."))
        rows.append(row)
    if not rows:
        raise CsvError(_("The file has a header row but no claims."))
    return rows


def sign(text: str, investigation: Investigation) -> str:
    """The previewed file and its investigation, for the confirmation to carry back."""
    data = {"text": text, "investigation": investigation.pk}
    return signing.dumps(data, salt=_SALT, compress=True)


def unsign(token: str) -> tuple[str, int]:
    try:
        data = signing.loads(token, salt=_SALT, max_age=6 * 3600)
        return data["text"], data["investigation"]
    except (signing.BadSignature, TypeError, KeyError):
        raise CsvError(_("The preview expired or was changed: upload the file again.")) from None


@transaction.atomic
def save(rows: list[Row], investigation: Investigation, user) -> list[Claim]:
    """Create every row's claim; only ever called with rows that have no errors."""
    created = []
    for row in rows:
        claim = services.claim_create(
            investigation=investigation,
            statement=row.statement,
            details=row.details,
            made=row.made,
            verdict=row.verdict,
            tags=row.tags,
            by=user,
        )
        if row.source_url:
            services.source_create(
                claim=claim, outlet=row.source_outlet, url=row.source_url, by=user
            )
        created.append(claim)
    return created
