"""Offline tests for w2v_helpers.download: a local HTTP server serves a tiny text8-like zip."""

import io
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from w2v_helpers import download, paths
from w2v_helpers.download import download_file, ensure_text8, verify_text8_zip
from w2v_helpers.errors import W2VError

WORDS = (
    "anarchism originated as a term of abuse first used against early working class radicals "
    "including the diggers of the english revolution and the sans culottes of the french revolution"
).split()
_rng = random.Random(0)  # shuffled words so the zip stays a few KB instead of compressing to nothing
TEXT = (" " + " ".join(_rng.choice(WORDS) for _ in range(3000))).encode()  # text8 starts with a space


def make_zip(text: bytes = TEXT, member: str = "text8", method: int = zipfile.ZIP_DEFLATED,
             extra: tuple[str, ...] | list[str] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as archive:
        archive.writestr(member, text)
        for name in extra:
            archive.writestr(name, b"x")
    return buf.getvalue()


ZIP = make_zip()
CUT = len(ZIP) // 2
SIZES = dict(zip_bytes=len(ZIP), member_bytes=len(TEXT))


@dataclass
class Route:
    body: bytes
    content_length: int | None = None  # None: the real length; -1: send no header
    delay: float = 0.0
    trickle: float = 0.0  # seconds between single bytes of the body


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        time.sleep(route.delay)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            length = len(route.body) if route.content_length is None else route.content_length
            if length >= 0:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            if route.trickle:
                for i in range(len(route.body)):
                    self.wfile.write(route.body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(route.trickle)
            self.wfile.write(route.body)  # HTTP/1.0: the connection closes after this
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, *args) -> None:
        pass


class Server:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.routes = {"/text8.zip": Route(ZIP)}
        self.httpd.hits = Counter()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def routes(self) -> dict:
        return self.httpd.routes

    @property
    def hits(self) -> Counter:
        return self.httpd.hits

    def url(self, path: str = "/text8.zip") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.stop()


def free_port() -> int:
    """A port with nothing listening: bind, read the number, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_download_verify_extract(server, tmp_path):
    result = ensure_text8(tmp_path, server.url(), **SIZES)
    assert result == tmp_path / "text8"
    assert result.read_bytes() == TEXT
    assert (tmp_path / "text8.zip").read_bytes() == ZIP
    assert leftovers(tmp_path) == ["text8", "text8.zip"]  # no .part files
    assert server.hits["/text8.zip"] == 1


def test_download_file_returns_dest_with_exact_bytes(server, tmp_path):
    dest = download_file(server.url(), tmp_path / "sub" / "f.zip", expected_bytes=len(ZIP))
    assert dest == tmp_path / "sub" / "f.zip"
    assert dest.stat().st_size == len(ZIP)
    assert dest.read_bytes() == ZIP


def test_present_file_is_not_downloaded_again(server, tmp_path):
    first = ensure_text8(tmp_path, server.url(), **SIZES)
    second = ensure_text8(tmp_path, server.url(), **SIZES)
    assert first == second and server.hits["/text8.zip"] == 1
    first.unlink()  # lost text8, zip kept: re-extracted offline
    assert ensure_text8(tmp_path, server.url(), **SIZES).read_bytes() == TEXT
    assert server.hits["/text8.zip"] == 1


def test_truncated_transfer_leaves_nothing(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP[:CUT], content_length=len(ZIP))
    dest = tmp_path / "text8.zip"
    with pytest.raises(W2VError) as err:
        download_file(server.url(), dest)
    assert f"received {CUT:,} of {len(ZIP):,} bytes" in str(err.value)
    assert leftovers(tmp_path) == []  # neither text8.zip nor text8.zip.part


def test_short_body_without_content_length_checked_against_expected(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP[:CUT], content_length=-1)
    with pytest.raises(W2VError, match=f"received {CUT:,} of {len(ZIP):,} bytes"):
        ensure_text8(tmp_path, server.url(), **SIZES)
    assert leftovers(tmp_path) == []


def test_server_offering_wrong_size_is_refused(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP + b"junk")
    with pytest.raises(W2VError) as err:
        ensure_text8(tmp_path, server.url(), **SIZES)
    assert f"offers {len(ZIP) + 4:,} bytes but {len(ZIP):,} were expected" in str(err.value)
    assert leftovers(tmp_path) == []


def test_wrong_size_zip_on_disk_is_deleted_and_fetched_again(server, tmp_path):
    (tmp_path / "text8.zip").write_bytes(ZIP[:-10])
    with pytest.raises(W2VError, match=f"has {len(ZIP) - 10:,} bytes, expected {len(ZIP):,}"):
        verify_text8_zip(tmp_path / "text8.zip", len(ZIP), "text8", len(TEXT))
    assert ensure_text8(tmp_path, server.url(), **SIZES).read_bytes() == TEXT
    assert (tmp_path / "text8.zip").read_bytes() == ZIP
    assert server.hits["/text8.zip"] == 1


def test_checksum_failure_deletes_the_zip(server, tmp_path):
    stored = make_zip(method=zipfile.ZIP_STORED)
    start = stored.index(TEXT[:40])  # stored member data appears verbatim
    corrupt = bytearray(stored)
    corrupt[start + 500] ^= 0xFF
    assert len(corrupt) == len(stored)  # same size: only the CRC can catch it
    server.routes["/text8.zip"] = Route(bytes(corrupt))
    with pytest.raises(W2VError) as err:
        ensure_text8(tmp_path, server.url(), zip_bytes=len(corrupt), member_bytes=len(TEXT))
    message = str(err.value)
    assert "CRC check of 'text8' failed" in message and "removed" in message and "retry" in message
    assert leftovers(tmp_path) == []
    assert server.hits["/text8.zip"] == 1


def test_refused_connection_explains_how_to_continue(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/text8.zip"
    with pytest.raises(W2VError) as err:
        ensure_text8(tmp_path, url, **SIZES)
    message = str(err.value)
    assert message.startswith(f"download of {url} failed")
    assert "refused" in message.lower()
    assert "--corpus english" in message and "--corpus PATH" in message and "W2V_TEXT8_URL" in message
    assert "\n" not in message
    assert leftovers(tmp_path) == []


def test_http_404(server, tmp_path):
    with pytest.raises(W2VError) as err:
        ensure_text8(tmp_path, server.url("/missing.zip"), **SIZES)
    assert "HTTP 404" in str(err.value) and "--corpus english" in str(err.value)
    assert server.hits["/missing.zip"] == 1
    assert leftovers(tmp_path) == []


def test_stalled_server_times_out(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP, delay=1.0)
    started = time.monotonic()
    with pytest.raises(W2VError, match="timed out.*--corpus english"):
        ensure_text8(tmp_path, server.url(), timeout=0.2, **SIZES)
    assert time.monotonic() - started < 0.9
    assert leftovers(tmp_path) == []


def test_trickling_server_is_given_up_at_the_deadline(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP, trickle=0.05)  # each byte well inside the read timeout
    started = time.monotonic()
    with pytest.raises(W2VError, match="too slow"):
        download_file(server.url(), tmp_path / "t.zip", expected_bytes=len(ZIP), timeout=5, deadline=0.5)
    assert time.monotonic() - started < 3
    assert leftovers(tmp_path) == []


def test_sigterm_during_a_download_leaves_no_partial_file(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP, content_length=-1, trickle=0.05)  # no size: it must stream
    env = {**os.environ, "W2V_DATA_DIR": str(tmp_path), "W2V_TEXT8_URL": server.url()}
    proc = subprocess.Popen([sys.executable, "-m", "w2v_helpers", "train", "--corpus", "text8", "--out",
                             str(tmp_path / "v.vec")], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.part")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert list(tmp_path.glob("*.part")), "the download never started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and leftovers(tmp_path) == []


def test_mirror_url_from_environment(server, tmp_path, monkeypatch):
    monkeypatch.delenv("W2V_TEXT8_URL", raising=False)
    assert download.text8_url() == download.TEXT8_URL == "http://mattmahoney.net/dc/text8.zip"
    server.routes["/mirror/text8.zip"] = server.routes.pop("/text8.zip")
    monkeypatch.setenv("W2V_TEXT8_URL", server.url("/mirror/text8.zip"))
    assert download.text8_url() == server.url("/mirror/text8.zip")
    assert ensure_text8(tmp_path, **SIZES).read_bytes() == TEXT
    assert server.hits == Counter({"/mirror/text8.zip": 1})


def test_data_dir_from_environment(server, tmp_path, monkeypatch):
    target = tmp_path / "custom" / "data"
    monkeypatch.setenv("W2V_DATA_DIR", str(target))
    assert paths.data_dir() == target and target.is_dir()
    assert ensure_text8(url=server.url(), **SIZES) == target / "text8"
    assert (target / "text8").read_bytes() == TEXT


def test_verify_rejects_bad_archives(tmp_path):
    cases = {
        "not_zip": (b"PK not really a zip" * 10, "not a readable zip"),
        "wrong_name": (make_zip(member="text9"), "exactly one file named 'text8', found ['text9']"),
        "extra_member": (make_zip(extra=["README"]), "found ['text8', 'README']"),
        "short_member": (make_zip(TEXT[:-7]), f"is {len(TEXT) - 7:,} bytes, expected {len(TEXT):,}"),
    }
    for name, (data, expected) in cases.items():
        path = tmp_path / f"{name}.zip"
        path.write_bytes(data)
        with pytest.raises(W2VError) as err:
            verify_text8_zip(path, len(data), "text8", len(TEXT))
        assert expected in str(err.value), name
    good = tmp_path / "good.zip"
    good.write_bytes(ZIP)
    assert verify_text8_zip(good, len(ZIP), "text8", len(TEXT)) is None


def test_real_text8_constants():
    assert (download.TEXT8_ZIP_BYTES, download.TEXT8_MEMBER, download.TEXT8_MEMBER_BYTES) == (
        31_344_016, "text8", 100_000_000)


# ----- servers that trickle, or send more than they should ---------------------------------------------
def test_a_server_below_the_speed_floor_is_given_up_long_before_the_deadline(server, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "SPEED_TIME", 0.5)             # 30 s in real use
    server.routes["/text8.zip"] = Route(ZIP, trickle=0.05)       # 20 bytes/s, each byte well inside the timeout
    started = time.monotonic()
    with pytest.raises(W2VError, match=r"too slow: \d+ bytes in \d+ s, under 1,000 bytes/s.*--corpus english"):
        download_file(server.url(), tmp_path / "t.zip", expected_bytes=len(ZIP), timeout=5)  # deadline: minutes
    assert time.monotonic() - started < 5
    assert leftovers(tmp_path) == []


def test_a_benchmark_file_has_two_minutes_at_most(server, tmp_path, monkeypatch):
    from w2v_helpers.evaluation import datasets

    assert datasets.DATASET_DEADLINE <= 120
    monkeypatch.setattr(datasets, "DATASET_DEADLINE", 0.5)
    server.routes["/q.txt"] = Route(b"x" * 5_000, trickle=0.01)
    with pytest.raises(W2VError, match="too slow.*deadline.*W2V_BENCHMARK_URL"):
        datasets.fetch_verified(server.url("/q.txt"), tmp_path / "q.txt", "0" * 64, 5_000, timeout=5)
    assert leftovers(tmp_path) == []


def test_a_body_without_content_length_is_cut_at_the_expected_size(server, tmp_path):
    server.routes["/text8.zip"] = Route(ZIP * 200, content_length=-1)   # 200 times what is expected
    with pytest.raises(W2VError, match=f"sent more than the {len(ZIP):,} bytes expected"):
        download_file(server.url(), tmp_path / "t.zip", expected_bytes=len(ZIP))
    assert leftovers(tmp_path) == []
