"""`make serve`: refuses debug mode and missing settings in one line; serves with Gunicorn
once they are right."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _serve(env: dict, **kwargs) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    return subprocess.Popen([sys.executable, "-m", "corroborate.serve"], cwd=ROOT,
                            env=clean | env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)  # fmt: skip


def _refusal(env: dict) -> str:
    process = _serve(env)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one clear line, no traceback
    return lines[0]


def test_make_serve_refuses_debug_mode_and_missing_settings():
    assert "DJANGO_DEBUG is on" in _refusal({})
    assert "DJANGO_DEBUG is on" in _refusal({"DJANGO_DEBUG": "true"})
    assert "not a boolean" in _refusal({"DJANGO_DEBUG": "maybe"})
    assert "DJANGO_SECRET_KEY must be set" in _refusal({"DJANGO_DEBUG": "false"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_serves_with_gunicorn(tmp_path):
    port = _free_port()
    process = _serve({
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"), "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(port), "GUNICORN_WORKERS": "1",
    })  # fmt: skip
    try:
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    status = r.status
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert status == 200, process.stderr.read() if process.poll() is not None else "timeout"
        # Every other page needs a login; static files are collected and served.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/claims/")
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(request, timeout=5)
            raise AssertionError("/claims/ answered without a login")
        except urllib.error.HTTPError as error:
            assert error.code == 302 and "/accounts/login/" in error.headers["Location"]
        css = next((tmp_path / "static" / "css").glob("corroborate.*.css")).name
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/{css}", timeout=5) as r:
            assert r.status == 200 and b"mark" in r.read()
    finally:
        process.terminate()
        process.communicate(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
