"""A real Time-Stamping Authority on loopback: OpenSSL's `ts -reply` with a test CA made
here, behind a small HTTP server, so the suite checks real RFC 3161 tokens."""

import shutil
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(folder: Path, name: str) -> Path:
    """A root CA and a time-stamping certificate it issued, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))
    (folder / "ext.cnf").write_text(
        "extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n"
    )
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
             "-out", "ca.pem", "-days", "2", "-subj", f"/CN={name} Root", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
             "-subj", f"/CN={name}", cwd=folder)  # fmt: skip
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf",
             cwd=folder)  # fmt: skip
    return folder


@dataclass
class Authority:
    url: str
    ca: Path  # the root certificate (PEM)
    certificate: Path  # the time-stamping certificate itself
    folder: Path
    requests: list
    down: bool = False


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, Authority]:
    lock = threading.Lock()
    authority = Authority("", folder / "ca.pem", folder / "tsa.pem", folder, [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            if authority.down:
                self.send_error(503, "down for the test")
                return
            with lock:  # one reply at a time: openssl keeps a serial number file
                authority.requests.append(query)
                (folder / "query.tsq").write_bytes(query)
                _openssl("ts", "-reply", "-queryfile", "query.tsq", "-config", "tsa.cnf",
                         "-section", "tsa_config", "-inkey", "tsa.key", "-signer", "tsa.pem",
                         "-chain", "ca.pem", "-out", "reply.tsr", cwd=folder)  # fmt: skip
                reply = (folder / "reply.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    authority.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, authority


@pytest.fixture(scope="session")
def authority_factory(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed for the local Time-Stamping Authority")
    servers = []

    def start(name: str = "Test TSA") -> Authority:
        folder = make_authority(tmp_path_factory.mktemp("tsa"), name)
        server, authority = _serve(folder)
        servers.append(server)
        return authority

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def _session_authority(authority_factory):
    return authority_factory()


@pytest.fixture
def tsa(_session_authority, settings):
    """The local authority, configured as this instance's, up."""
    _session_authority.down = False
    _session_authority.requests.clear()
    settings.TIMESTAMP_URL = _session_authority.url
    settings.TIMESTAMP_CA_FILE = str(_session_authority.ca)
    yield _session_authority
    _session_authority.down = False
