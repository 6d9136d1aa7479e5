"""Compile locale/*/LC_MESSAGES/django.po into .mo files with Babel, for machines without
GNU gettext (`make messages` uses Django's compilemessages where msgfmt is installed).
Fuzzy entries are left out, as msgfmt leaves them out."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    compiled = 0
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        compiled += 1
    print(f"Compiled {compiled} translation catalogues (Babel).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
