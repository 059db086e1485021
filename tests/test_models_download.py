"""Model download against a local HTTP server: verified, atomic, never half installed."""

import hashlib
import http.server
import io
import threading
import zipfile

import pytest

from voicecoach.asr.models import ModelEntry, download_model, is_vosk_model
from voicecoach.errors import EngineUnavailable, UsageError

NAME = "vosk-model-test"


def model_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(f"{NAME}/am/final.mdl", b"acoustic model" * 1000)
        bundle.writestr(f"{NAME}/conf/model.conf", b"--sample-frequency=16000\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server():
    payload = model_zip()
    routes = {
        "/good.zip": (payload, len(payload)),
        # Claims the full length but stops half way, as a dropped connection does.
        "/truncated.zip": (payload[: len(payload) // 2], len(payload)),
        "/notzip.zip": (b"<html>not found</html>", 22),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body, length = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hashlib.sha256(payload).hexdigest()
    httpd.shutdown()


def entry(url, sha256):
    return ModelEntry(NAME, "vosk", url, sha256, None)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_good_download_installs_the_model(server, tmp_path):
    base, digest = server
    target = download_model(entry(f"{base}/good.zip", digest), tmp_path, progress=None)
    assert target == tmp_path / NAME and is_vosk_model(target)
    assert leftovers(tmp_path) == [NAME]


def test_bad_sha_installs_nothing(server, tmp_path):
    base, _ = server
    with pytest.raises(EngineUnavailable, match="sha256"):
        download_model(entry(f"{base}/good.zip", "0" * 64), tmp_path, progress=None)
    assert leftovers(tmp_path) == []


def test_truncated_download_installs_nothing(server, tmp_path):
    base, digest = server
    with pytest.raises(EngineUnavailable):
        download_model(entry(f"{base}/truncated.zip", digest), tmp_path, progress=None)
    assert leftovers(tmp_path) == []


def test_not_a_zip_installs_nothing_even_unverified(server, tmp_path):
    base, _ = server
    with pytest.raises(EngineUnavailable, match="zip"):
        download_model(entry(f"{base}/notzip.zip", None), tmp_path, verify=False, progress=None)
    assert leftovers(tmp_path) == []


def test_unverified_entry_refused_without_no_verify(server, tmp_path):
    base, _ = server
    with pytest.raises(UsageError, match="--no-verify"):
        download_model(entry(f"{base}/good.zip", None), tmp_path, progress=None)
    assert is_vosk_model(download_model(entry(f"{base}/good.zip", None), tmp_path, verify=False, progress=None))


def test_cli_download_with_url_and_sha(server, tmp_path, capsys):
    from voicecoach.cli import main

    base, digest = server
    code = main(["models", "download", "vosk-model-small-en-us-0.15", "--url", f"{base}/good.zip",
                 "--sha256", digest, "--dest", str(tmp_path)])
    assert code == 0
    assert is_vosk_model(tmp_path / "vosk-model-small-en-us-0.15")
    assert "installed" in capsys.readouterr().out
