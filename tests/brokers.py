"""A Redis server of the test's own, on a free loopback port, for what needs to see a
broker stop (the shared one on 6379 must keep running for everything else)."""

import contextlib
import shutil
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server(directory):
    """Yields the URL of a new Redis server; stops it on the way out."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (Debian package redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not _answers(port):
            assert process.poll() is None and time.monotonic() < deadline, "redis did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextlib.contextmanager
def unreachable_broker():
    """The Celery app sends to a broker where nothing listens, then back to how it was."""
    from corroborate.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def forget_connections() -> None:
        # The app keeps its connection pool and producers from the first send (kombu keeps
        # them per broker URL too, so they are left open for the next test to find).
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(broker_url=f"redis://127.0.0.1:{free_port()}/0", task_always_eager=False)
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_connections()
