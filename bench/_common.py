"""What the benchmarks share: a throw-away Django (own SQLite file and media folder in a
temporary directory, production settings) and a sampler of this process's memory."""

from __future__ import annotations

import os
import secrets
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class Sampler(threading.Thread):
    """Samples resident memory every 20 ms; `peak` is the highest seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.baseline = self.peak = rss_mb()
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def stop(self) -> float:
        """Stop sampling; returns the peak growth over the baseline, in MB."""
        self.running = False
        self.join()
        return self.peak - self.baseline


def setup_django(workdir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="corroborate.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        EVIDENCE_MAX_UPLOAD_BYTES=str(4 * 1024**3),
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        SIGNING_KEY_FILE=str(workdir / "signing-key.pem"),
    )
    (workdir / "static").mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("signing_key", "create", verbosity=0)


def setup_django_on_postgresql(why: str) -> None:
    """Django on the PostgreSQL database DATABASE_URL names (the seeded one), production
    settings; exits with `why` when DATABASE_URL names no PostgreSQL database."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(why)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corroborate.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def researcher(username: str = "bench"):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password=None)
    user.groups.add(Group.objects.get(name="Researchers"))
    return user
