"""Upload a large file through the real evidence upload view; report memory and speed.

    .venv/bin/python bench/upload_memory.py            # 1 GiB
    .venv/bin/python bench/upload_memory.py --size-mb 200

A WSGI server runs in a thread of this process on 127.0.0.1, with its own SQLite database
and media folder in a temporary directory. The file is generated on disk and sent as a
streamed multipart body (never held in memory by the client either). A sampler reads
this process's resident memory every 20 ms: the peak growth over the baseline is what the
upload cost in memory. Throughput is set beside hashlib's own SHA-256 speed on the same
file. Exits 1 if memory grew by 100 MB or more.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import Sampler, researcher, setup_django

LIMIT_MB = 100
CHUNK = 1024 * 1024


def make_file(path: Path, size: int) -> str:
    """Plain text (an accepted type) of `size` bytes; returns its SHA-256."""
    line = "Tank column sighted near Makiivka; Колонна танков у Макеевки.\n".encode()
    block = line * (CHUNK // len(line))
    digest, written = hashlib.sha256(), 0
    with open(path, "wb") as out:
        while written < size:
            part = block[: size - written]
            out.write(part)
            digest.update(part)
            written += len(part)
    return digest.hexdigest()


def hashlib_seconds(path: Path) -> float:
    start = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return time.perf_counter() - start


def start_server():
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def login_cookie() -> str:
    from django.test import Client

    client = Client()
    client.force_login(researcher())
    return client.cookies["sessionid"].value


def upload(port: int, path: Path, size: int, session: str) -> tuple[float, int, str]:
    boundary = "corroborate-" + secrets.token_hex(8)
    csrf = secrets.token_hex(16)  # 32 characters: a valid CSRF secret
    fields = {"kind": "document", "title": "Benchmark upload", "captured_precision": "day"}
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head.encode()
        with open(path, "rb") as source:
            yield from iter(lambda: source.read(CHUNK), b"")
        yield tail

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.request(
        "POST",
        "/evidence/new/",
        body=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head.encode()) + size + len(tail)),
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
        },
    )
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    return elapsed, response.status, response.getheader("Location", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size (default 1024)")
    args = parser.parse_args()
    size = args.size_mb * CHUNK

    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        workdir = Path(tmp)
        source = workdir / "big.txt"
        print(f"generating a {args.size_mb} MiB file ...", flush=True)
        expected = make_file(source, size)
        hash_seconds = hashlib_seconds(source)

        setup_django(workdir)
        server = start_server()
        session = login_cookie()

        sampler = Sampler()
        sampler.start()
        seconds, status, location = upload(server.server_address[1], source, size, session)
        growth = sampler.stop()
        server.shutdown()

        from evidence.models import EvidenceItem

        item = EvidenceItem.objects.filter(title="Benchmark upload").first()
        print(f"response           {status} -> {location}")
        print(
            f"stored             {item is not None and item.sha256 == expected} "
            f"(SHA-256 {item.sha256[:16] if item else '-'}..., {size} bytes)"
        )
        print(f"upload             {seconds:6.2f} s  {args.size_mb / seconds:8.1f} MiB/s")
        print(f"hashlib sha256     {hash_seconds:6.2f} s  {args.size_mb / hash_seconds:8.1f} MiB/s")
        print(f"memory baseline    {sampler.baseline:8.1f} MB")
        print(f"memory peak growth {growth:8.1f} MB (limit {LIMIT_MB} MB)")
        if item is None or item.sha256 != expected:
            print("FAIL: the stored file does not match")
            return 1
        if growth >= LIMIT_MB:
            print("FAIL: memory grew with the file")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
