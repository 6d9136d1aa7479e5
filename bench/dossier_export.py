"""Export the dossier ZIP of a claim with 200 evidence files (1 GiB or more in all).

    .venv/bin/python bench/dossier_export.py              # 200 files, 1.1 GiB
    .venv/bin/python bench/dossier_export.py --files 20   # quicker

Prints the time to build the dossier (its HTML and PDF pages), the time to stream the ZIP
to disk (sealed: manifest, signature) and to check it with verify.py, and the peak memory
growth of each, beside the time `zip -0` takes to store the same files. Streaming must not
grow with the evidence: it fails (exit 1) if the streaming phase grows memory by 100 MB or
more, or if the bundle does not verify. Runs on its own SQLite database and media folder in
a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Sampler, researcher, setup_django

LIMIT_MB = 100
TOTAL = 1024**3 + 100 * 1024**2  # a little over 1 GiB


def make_evidence(workdir: Path, count: int, user) -> object:
    from django.core.files import File

    from claims.services import claim_create
    from evidence.services import evidence_create, evidence_link_create
    from investigations.services import investigation_create

    place = investigation_create(name="Benchmark", slug="benchmark", by=None, lead=user)
    claim = claim_create(
        investigation=place, statement="Benchmark: a claim with many large evidence files", by=user
    )
    size = TOTAL // count
    for index in range(count):
        path = workdir / f"intercept-{index:03d}.txt"
        line = f"Intercepted radio traffic, file {index:03d}; перехват радиосвязи.\n".encode()
        with open(path, "wb") as out:
            block = line * (1024 * 1024 // len(line))
            written = 0
            while written < size:
                part = block[: size - written]
                out.write(part)
                written += len(part)
        with open(path, "rb") as handle:
            item = evidence_create(
                investigation=place,
                kind="document",
                title=f"Intercept {index:03d}",
                file=File(handle, path.name),
                by=user,
            )
        path.unlink()
        evidence_link_create(claim=claim, evidence=item, relation="supports", by=user)
    return claim


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        print(
            f"creating {args.files} evidence files, {TOTAL / 1024**3:.2f} GiB in all ...",
            flush=True,
        )
        claim = make_evidence(workdir, args.files, researcher())

        from dossiers import export
        from dossiers.build import build
        from evidence.models import EvidenceItem

        sampler = Sampler()
        sampler.start()
        start = time.perf_counter()
        members = export.dossier_members(build(claim.pk, include_unreviewed=True))
        build_seconds = time.perf_counter() - start
        build_growth = sampler.stop()

        out = workdir / "dossier.zip"
        sampler = Sampler()
        sampler.start()
        start = time.perf_counter()
        size = export.write_zip(members, out, exported_by=None)
        stream_seconds = time.perf_counter() - start
        stream_growth = sampler.stop()

        from proofs import verify

        sampler = Sampler()
        sampler.start()
        start = time.perf_counter()
        verified = verify.verify(out, out=open(os.devnull, "w"))  # noqa: SIM115
        verify_seconds = time.perf_counter() - start
        verify_growth = sampler.stop()

        originals = [
            str(Path(workdir / "media" / item.file.name))
            for item in EvidenceItem.objects.exclude(file="")
        ]
        zip_seconds = None
        if shutil.which("zip"):
            listing = workdir / "files.txt"
            listing.write_text("\n".join(originals) + "\n")
            start = time.perf_counter()
            with open(listing) as names:
                subprocess.run(
                    ["zip", "-0", "-q", "-@", str(workdir / "plain.zip")], stdin=names, check=True
                )
            zip_seconds = time.perf_counter() - start

        evidence_bytes = sum(Path(p).stat().st_size for p in originals)
        print(f"evidence           {len(originals)} files, {evidence_bytes / 1024**3:.2f} GiB")
        print(f"bundle             {size / 1024**3:.2f} GiB")
        print(
            f"build dossier      {build_seconds:6.1f} s   memory growth {build_growth:7.1f} MB"
            "  (HTML and PDF pages)"
        )
        speed = evidence_bytes / 1024**2 / stream_seconds
        print(
            f"stream ZIP         {stream_seconds:6.1f} s   memory growth {stream_growth:7.1f} MB"
            f"  ({speed:.0f} MiB/s, hashing every member)"
        )
        print(
            f"verify.py          {verify_seconds:6.1f} s   memory growth {verify_growth:7.1f} MB"
            f"  (every hash, the signature; {'passed' if verified else 'FAILED'})"
        )
        if zip_seconds is not None:
            print(f"zip -0, same files {zip_seconds:6.1f} s")
        else:
            print("zip -0             not installed (apt-get install zip)")
        if not verified:
            print("FAIL: the bundle does not verify")
            return 1
        if stream_growth >= LIMIT_MB:
            print(f"FAIL: streaming grew memory by {stream_growth:.0f} MB")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
