"""Upload a large file three ways and report memory and speed beside hashlib's SHA-256.

    .venv/bin/python bench/upload_memory.py            # 1 GiB
    .venv/bin/python bench/upload_memory.py --size-mb 200

A WSGI server runs in a thread of this process on 127.0.0.1, with its own SQLite database
and media folder in a temporary directory. The file is generated on disk and sent (never
held in memory by the client either) as: a multipart form to the evidence upload view; a
raw PUT to /api/v1/uploads/; and a resumable (tus) upload in parts of --part-mb. A
sampler reads this process's resident memory every 20 ms: the peak growth over the
baseline is what an upload cost in memory. Each upload's throughput is set beside
hashlib's own SHA-256 speed on the same file (nothing can store a file faster than it can
hash it) and beside a plain copy of the file on the same disk (nothing can store it faster
than the disk writes it). Each is run --runs times; the disk of a virtual machine has bursts of
its own (other writes, discards of deleted files), so the best run shows what the code can
do and the median what to expect. Exits 1 if a stored file does not match or memory grew
by 100 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import secrets
import shutil
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


def copy_seconds(path: Path) -> float:
    """The disk's own pace: a plain copy of the file beside it (no hashing, no network)."""
    os.sync()
    time.sleep(1)
    copy = path.with_name("copy.bin")
    start = time.perf_counter()
    shutil.copyfile(path, copy)
    seconds = time.perf_counter() - start
    copy.unlink()
    return seconds


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


def api_token() -> str:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from investigations.models import Investigation, Membership

    user = get_user_model().objects.get(username="bench")
    place = Investigation.objects.first() or Investigation.objects.create(
        name="Benchmark", slug="benchmark"
    )
    Membership.objects.get_or_create(investigation=place, user=user, defaults={"role": "lead"})
    return Token.objects.get_or_create(user=user)[0].key


def _stream(path: Path, start: int = 0, length: int | None = None):
    with open(path, "rb") as source:
        source.seek(start)
        left = length
        while left is None or left > 0:
            block = source.read(CHUNK if left is None else min(CHUNK, left))
            if not block:
                return
            if left is not None:
                left -= len(block)
            yield block


def _request(port: int, method: str, url: str, body, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request(method, url, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def upload_raw(port: int, path: Path, size: int, token: str, slug: str) -> tuple[float, int]:
    start = time.perf_counter()
    status, _, _ = _request(port, "PUT", "/api/v1/uploads/", _stream(path), {
        "Authorization": f"Token {token}", "Content-Type": "text/plain",
        "Content-Length": str(size), "Upload-Investigation": slug,
        "Content-Disposition": 'attachment; filename="big.txt"',
    })  # fmt: skip
    return time.perf_counter() - start, status


def upload_tus(port: int, path: Path, size: int, token: str, slug: str, part: int):
    import base64

    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    meta = f"investigation {base64.b64encode(slug.encode()).decode()}"
    start = time.perf_counter()
    status, headers, _ = _request(port, "POST", "/api/v1/uploads/", None, auth | {
        "Upload-Length": str(size), "Upload-Metadata": meta, "Content-Length": "0",
    })  # fmt: skip
    location, offset = headers["Location"], 0
    while offset < size:
        length = min(part, size - offset)
        status, _, _ = _request(port, "PATCH", location, _stream(path, offset, length), auth | {
            "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
            "Content-Length": str(length),
        })  # fmt: skip
        if status != 204:
            return time.perf_counter() - start, status
        offset += length
    return time.perf_counter() - start, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size (default 1024)")
    parser.add_argument("--part-mb", type=int, default=256, help="tus part size (default 256)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    size = args.size_mb * CHUNK

    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        workdir = Path(tmp)
        source = workdir / "big.txt"
        print(f"generating a {args.size_mb} MiB file ...", flush=True)
        expected = make_file(source, size)
        os.sync()
        hash_seconds = hashlib_seconds(source)
        disk_seconds = copy_seconds(source)

        setup_django(workdir)
        server = start_server()
        session = login_cookie()

        token = api_token()
        from evidence.models import EvidenceItem, Upload
        from investigations.models import Investigation

        slug = Investigation.objects.first().slug
        port = server.server_address[1]
        results, failed = [], False
        runs = [
            ("multipart form", lambda: upload(port, source, size, session)[:2]),
            ("raw PUT", lambda: upload_raw(port, source, size, token, slug)),
            (f"tus, {args.part_mb} MiB parts",
             lambda: upload_tus(port, source, size, token, slug, args.part_mb * CHUNK)),
        ]  # fmt: skip
        for label, run in runs:
            timings, growths, intact = [], [], True
            # The form refuses the same file twice (a duplicate): it runs once.
            for _ in range(1 if label == "multipart form" else args.runs):
                os.sync()  # each run starts with no other writes waiting for the disk
                time.sleep(1)
                sampler = Sampler()
                sampler.start()
                seconds, status = run()
                growths.append(sampler.stop())
                timings.append(seconds)
                if label == "multipart form":
                    item = EvidenceItem.objects.filter(title="Benchmark upload").last()
                    intact &= item is not None and item.sha256 == expected
                else:
                    last = Upload.objects.order_by("-pk").first()
                    intact &= last is not None and last.sha256 == expected
            failed |= not intact or max(growths) >= LIMIT_MB
            results.append((label, status, sorted(timings), max(growths), intact))
        server.shutdown()

        floor = args.size_mb / hash_seconds
        print(f"{args.runs} runs each (the form: one); best and median; memory: the largest growth")
        disk = args.size_mb / disk_seconds
        print(f"{'hashlib sha256':<24}{'':>5}{floor:8.0f} MiB/s   1.00x")
        print(f"{'disk: a plain file copy':<24}{'':>5}{disk:8.0f} MiB/s   {disk / floor:.2f}x")
        for label, status, timings, growth, intact in results:
            best = args.size_mb / timings[0]
            median = args.size_mb / timings[len(timings) // 2]
            print(
                f"{label:<24}{status:>5}{best:8.0f} MiB/s   {best / floor:.2f}x   median "
                f"{median:6.0f} MiB/s {median / floor:.2f}x ({median / disk:.2f} of the disk's)"
                f"   memory +{growth:.1f} MB   "
                f"stored intact: {intact}"
            )
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
