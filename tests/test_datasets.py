"""Evaluation dataset downloads, offline: a local HTTP server on 127.0.0.1 stands in for gensim's repository."""

import hashlib
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from w2v_helpers.cli import main
from w2v_helpers.errors import W2VError
from w2v_helpers.evaluation import datasets
from w2v_helpers.evaluation.datasets import DATASET_FILES as FILES
from w2v_helpers.evaluation.datasets import download_dataset, download_datasets, fetch_verified, sha256_of

SMALL = b": capital-common-countries\nathens greece baghdad iraq\n"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.files.get(self.path.rsplit("/", 1)[-1])
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """Serves server.files (name -> bytes) under http://127.0.0.1:PORT/files/NAME."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.files = {"small.txt": SMALL}
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}/files/"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_right_checksum_saves_file(server, tmp_path: Path) -> None:
    dest = tmp_path / "q.txt"
    path = fetch_verified(server.base + "small.txt", dest, hashlib.sha256(SMALL).hexdigest(), len(SMALL))
    assert path == dest and dest.read_bytes() == SMALL
    assert [p.name for p in tmp_path.iterdir()] == ["q.txt"]  # no .part or .unverified left


def test_wrong_checksum_raises_and_leaves_nothing(server, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="failed verification") as info:
        fetch_verified(server.base + "small.txt", tmp_path / "q.txt", "0" * 64)
    assert len(str(info.value).splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_wrong_checksum_keeps_an_older_file(server, tmp_path: Path) -> None:
    (tmp_path / "q.txt").write_bytes(b"older")
    with pytest.raises(W2VError):
        fetch_verified(server.base + "small.txt", tmp_path / "q.txt", "0" * 64)
    assert [p.name for p in tmp_path.iterdir()] == ["q.txt"] and (tmp_path / "q.txt").read_bytes() == b"older"


def test_missing_and_unreachable(server, tmp_path: Path) -> None:
    with pytest.raises(W2VError, match="HTTP 404") as info:
        fetch_verified(server.base + "nope.txt", tmp_path / "q.txt", "0" * 64)
    message = str(info.value)
    assert "W2V_BENCHMARK_URL" in message and "W2V_TEXT8_URL" not in message  # advice about benchmarks
    with pytest.raises(W2VError, match="download of"):
        fetch_verified(f"http://127.0.0.1:{closed_port()}/x", tmp_path / "q.txt", "0" * 64, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_download_dataset_uses_recorded_checksums(server, tmp_path: Path, monkeypatch) -> None:
    small = datasets.DatasetFile("wordsim353.tsv", hashlib.sha256(SMALL).hexdigest(), len(SMALL))
    monkeypatch.setitem(FILES, "wordsim353.tsv", small)
    server.files["wordsim353.tsv"] = SMALL
    path, fetched = download_dataset("wordsim353.tsv", tmp_path, server.base)
    assert fetched and path == tmp_path / "wordsim353.tsv" and path.read_bytes() == SMALL
    server.files.clear()  # a verified file already there is not fetched again
    assert download_dataset("wordsim353.tsv", tmp_path, server.base) == (path, False)
    with pytest.raises(W2VError, match="unknown benchmark"):
        download_dataset("nope.txt", tmp_path, server.base)


def test_recorded_names_match_datasets() -> None:
    assert tuple(FILES) == datasets.DATASETS
    assert datasets.DATASETS_BASE_URL.startswith("https://raw.githubusercontent.com/piskvorky/gensim/")


def test_recorded_checksums_equal_gensims_packaged_files() -> None:
    pytest.importorskip("gensim")
    from gensim.test.utils import datapath

    for name, spec in FILES.items():
        path = Path(datapath(name))
        assert sha256_of(path) == spec.sha256, name
        assert path.stat().st_size == spec.size, name


def test_download_all_from_a_mirror_of_gensims_files(server, tmp_path: Path, capsys, monkeypatch) -> None:
    """End to end with the real checksums: serve gensim's packaged copies, run the CLI command."""
    pytest.importorskip("gensim")
    from gensim.test.utils import datapath

    server.files.update({name: Path(datapath(name)).read_bytes() for name in FILES})
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("W2V_BENCHMARK_URL", server.base)
    assert main(["download-benchmarks"]) == 0
    assert capsys.readouterr().out.count("downloaded and verified") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    assert datasets.dataset_path("wordsim353.tsv") == tmp_path / "wordsim353.tsv"  # the data folder wins
    assert main(["download-benchmarks"]) == 0
    assert capsys.readouterr().out.count("already present") == 3
    assert [r[1] for r in download_datasets(tmp_path, server.base)] == [False, False, False]


def test_cli_offline_is_one_line_error(tmp_path: Path) -> None:
    env = {"W2V_DATA_DIR": str(tmp_path), "W2V_BENCHMARK_URL": f"http://127.0.0.1:{closed_port()}/",
           "PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-m", "w2v_helpers", "download-benchmarks", "--timeout", "5"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "questions-words.txt" in lines[0] and "pip install gensim" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_packaged_files_are_gensims_byte_for_byte(tmp_path: Path, monkeypatch) -> None:
    """The package's copies are the recorded files (evaluation needs no gensim, no network); the analogy file
    ships compressed and is unpacked, verified, into the data folder on first use."""
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    for name, spec in datasets.DATASET_FILES.items():
        path = datasets.dataset_path(name)
        assert path.stat().st_size == spec.size and datasets.sha256_of(path) == spec.sha256, name
    assert datasets.dataset_path("questions-words.txt") == tmp_path / "questions-words.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["questions-words.txt"]  # no temporary file left
    assert (datasets.PACKAGED / "README.md").is_file()


def test_a_damaged_packaged_copy_is_refused_and_nothing_is_left(tmp_path: Path, monkeypatch) -> None:
    import lzma

    packaged = tmp_path / "package"
    packaged.mkdir()
    (packaged / "questions-words.txt.xz").write_bytes(lzma.compress(b": capital-common-countries\nA B C D\n"))
    monkeypatch.setattr(datasets, "PACKAGED", packaged)
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(W2VError, match="is damaged") as info:
        datasets.dataset_path("questions-words.txt")
    assert len(str(info.value).splitlines()) == 1
    assert list((tmp_path / "data").iterdir()) == []


def test_dataset_path_error_mentions_download_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("W2V_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "PACKAGED", tmp_path / "not-installed")
    with pytest.raises(W2VError, match="python -m w2v_helpers download-benchmarks") as info:
        datasets.dataset_path("simlex999.txt")
    assert len(str(info.value).splitlines()) == 1
