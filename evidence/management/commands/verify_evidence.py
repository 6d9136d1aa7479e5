import hashlib

from django.core.management.base import BaseCommand, CommandError

from evidence.models import EvidenceItem

CHUNK = 1024 * 1024


def _sha256(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence original and report each one that is missing or no "
        "longer matches the SHA-256 recorded at intake. Exits non-zero if any."
    )

    def handle(self, *args, **options) -> None:
        items = (
            EvidenceItem.objects.exclude(file="")
            .only("pk", "title", "file", "sha256")
            .order_by("pk")
        )
        checked, problems = 0, []
        for item in items.iterator(chunk_size=500):
            checked += 1
            try:
                actual = _sha256(item.file)
            except FileNotFoundError:
                problems.append(f"MISSING #{item.pk} “{item.title}”: {item.file.name}")
                continue
            if actual != item.sha256:
                problems.append(
                    f"ALTERED #{item.pk} “{item.title}”: recorded {item.sha256}, now {actual}"
                )
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(
                f"{len(problems)} of {checked} evidence files are missing or altered."
            )
        self.stdout.write(self.style.SUCCESS(f"All {checked} evidence files match their SHA-256."))
