"""Current Events import speed: generates a corpus of news items (English and Chinese
editions, one- and two-digit months and days, sources, pictures, related items in both path
forms), imports it into a fresh investigation, then imports the same files again.

Targets (issue 12): 300 items a second or more on SQLite, peak memory that does not grow
with the number of files, and 3,000 files a second or more for the unchanged re-import.

    .venv/bin/python bench/import_events.py            # 15,000 files
    .venv/bin/python bench/import_events.py --files 3000
"""

from __future__ import annotations

import argparse
import datetime
import random
import tempfile
import time
from pathlib import Path

from _common import Sampler, researcher, setup_django

EDITIONS = {
    "en": ("### Source:", "### Related:", "Context", "Troops and tanks cross the border near"),
    "zh": ("### 信息来源:", "### 有关:", "消息", "坦克车队在边境附近被拍到，地点"),
}


def item_path(root: Path, edition: str, day: datetime.date, slug: str, padded: bool) -> Path:
    month, date = (f"{day.month:02}", f"{day.day:02}") if padded else (day.month, day.day)
    return root / edition / "news" / str(day.year) / str(month) / str(date) / f"{slug}.md"


def link_path(edition: str, day: datetime.date, slug: str, padded: bool) -> str:
    prefix = "/zh" if edition == "zh" else ""
    month, date = (f"{day.month:02}", f"{day.day:02}") if padded else (day.month, day.day)
    return f"{prefix}/news/{day.year}/{month}/{date}/{slug}.md"


def generate(root: Path, count: int) -> int:
    """Writes `count` news item files under `root`; returns how many were written."""
    rng = random.Random(12)
    start = datetime.date(2004, 1, 1)
    items = []
    for number in range(count):
        edition = "zh" if number % 3 == 0 else "en"
        day = start + datetime.timedelta(days=number // 4)
        items.append((edition, day, f"item-{number}", rng.random() < 0.5))
    for number, (edition, day, slug, padded) in enumerate(items):
        sources_heading, related_heading, context, words = EDITIONS[edition]
        month, date = (f"{day.month:02}", f"{day.day:02}") if padded else (day.month, day.day)
        lines = [
            f"### [{day.year}-{month}-{date}]({link_path(edition, day, 'index', padded)})",
            "",
            f"# {words} {number} ({day.isoformat()}). ",
            "",
            f"Summary of item {number}: {words} " * 3,
            "",
            sources_heading,
            "",
            f"1. [BBC](https://www.bbc.co.uk/news/world-{number}) "
            f"[IMG](https://ichef.bbci.co.uk/images/{number}.jpg)",
            f"2. [Reuters](https://www.reuters.com/article/{number})",
            "",
            related_heading,
            "",
        ]
        for n, other in enumerate(rng.sample(items, 3), start=1):
            o_edition, o_day, o_slug, _ = other
            target = link_path(o_edition, o_day, o_slug, rng.random() < 0.5)
            lines.append(f"{n}. [Item {o_slug}]({target}) _{context}: NATO, Ukraine_")
        path = item_path(root, edition, day, slug, padded)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=15_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from imports.events import import_events
        from investigations.services import investigation_create

        corpus = workdir / "corpus"
        written = generate(corpus, args.files)
        user = researcher()
        place = investigation_create(name="Benchmark", slug="benchmark", by=None, lead=user)

        for label in ("import", "re-import"):
            sampler = Sampler()
            sampler.start()
            began = time.perf_counter()
            report = import_events([corpus], investigation=place, user=user)
            took = time.perf_counter() - began
            peak = sampler.stop()
            print(
                f"{label}: {written} files in {took:.1f} s = {written / took:,.0f} files/s; "
                f"{report}; peak memory +{peak:.0f} MB"
            )


if __name__ == "__main__":
    main()
