"""URL parts shared by the apps."""

from django.urls import register_converter


class RecordIdConverter:
    """A record id: digits that fit a 64-bit primary key, else the URL does not match (404).

    Django range-checks lookups on primary keys but not on foreign-key columns, so an
    over-long id would reach the database as an integer it cannot hold.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")


class _WordConverter:
    """One of a fixed set of words, kept as it is."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class HistoryKindConverter(_WordConverter):
    regex = "claim|claimant|evidence"


class DossierFormatConverter(_WordConverter):
    regex = "html|pdf|json|zip"


register_converter(HistoryKindConverter, "history_kind")
register_converter(DossierFormatConverter, "dossier_format")
