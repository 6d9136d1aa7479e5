"""`make serve`: Corroborate as a production service.

Checks the settings first and refuses, in one line, to serve with debug on or without the
settings production needs; applies migrations; collects static files (served by WhiteNoise);
then replaces itself with Gunicorn. Environment:

    DJANGO_DEBUG=false DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=corroborate.example.org
    HOST (127.0.0.1), PORT (8000)
    GUNICORN_WORKERS (2 per CPU, plus 1), GUNICORN_THREADS (4), GUNICORN_TIMEOUT (60 s),
    GUNICORN_KEEPALIVE (20 s)
    DATABASE_CONN_MAX_AGE (60 s: connections persist between requests)
"""

from __future__ import annotations

import os
import shutil
import sys

from core.env import env_bool


def _refuse(message: str) -> None:
    print(f"make serve: {message}", file=sys.stderr)
    raise SystemExit(2)


def gunicorn_arguments(cpus: int | None = None) -> list[str]:
    """The command line of the application server, from the environment."""
    cpus = cpus or os.cpu_count() or 1
    workers = os.environ.get("GUNICORN_WORKERS") or str(2 * cpus + 1)
    threads = os.environ.get("GUNICORN_THREADS") or "4"
    bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
    return [
        "gunicorn",
        "corroborate.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--timeout={os.environ.get('GUNICORN_TIMEOUT', '60')}",
        # Longer than a proxy's or client's pause between requests on one connection, so
        # that the server does not close a connection a client is about to reuse.
        f"--keep-alive={os.environ.get('GUNICORN_KEEPALIVE', '20')}",
        "--access-logfile=-",
        # Who, what, the answer, its size and how long it took (milliseconds).
        '--access-logformat=%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"',
        "--forwarded-allow-ips=127.0.0.1",
    ]


def main() -> None:
    from django.core.exceptions import ImproperlyConfigured

    try:
        debug = env_bool("DJANGO_DEBUG", default=True)
    except ImproperlyConfigured as error:
        _refuse(str(error))
    if debug:
        _refuse("DJANGO_DEBUG is on (it is unless set to false): debug pages show settings and "
                "code to anyone. Set DJANGO_DEBUG=false, DJANGO_SECRET_KEY and "
                "DJANGO_ALLOWED_HOSTS.")  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corroborate.settings")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    import django

    try:
        django.setup()
    except ImproperlyConfigured as error:
        _refuse(str(error))
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=1)
    call_command("collectstatic", "--noinput", verbosity=0)
    arguments = gunicorn_arguments()
    executable = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
        "gunicorn"
    )
    if executable is None:
        _refuse("gunicorn is not installed: run `make venv` (it is in requirements.txt).")
    print(f"Serving on http://{arguments[2].removeprefix('--bind=')}/ ({' '.join(arguments[3:5])})")
    sys.stdout.flush()
    os.execv(executable, arguments)


if __name__ == "__main__":
    main()
