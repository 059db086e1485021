"""Where a Vosk model is looked for, in order."""

import pytest

from voicecoach.asr.factory import make_recognizer
from voicecoach.asr.models import MODEL_ENV, find_vosk_model, load_registry
from voicecoach.errors import EngineUnavailable, UsageError


def fake_model(folder):
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"x")
    return folder


def test_explicit_then_env_then_search_folders(tmp_path):
    explicit = fake_model(tmp_path / "explicit")
    env = fake_model(tmp_path / "env")
    user = tmp_path / "user"
    fake_model(user / "vosk-model-small-en-us-0.15")
    project = tmp_path / "project"
    fake_model(project / "vosk-model-other")
    search = [user, project]
    assert find_vosk_model(explicit, {MODEL_ENV: str(env)}, search) == explicit
    assert find_vosk_model(None, {MODEL_ENV: str(env)}, search) == env
    assert find_vosk_model(None, {}, search) == user / "vosk-model-small-en-us-0.15"
    assert find_vosk_model(None, {}, [tmp_path / "none", project]) == project / "vosk-model-other"
    assert find_vosk_model(None, {}, [tmp_path / "none"]) is None


def test_a_given_path_that_is_not_a_model_is_an_error(tmp_path):
    with pytest.raises(UsageError):
        find_vosk_model(tmp_path, {}, [])
    with pytest.raises(UsageError):
        find_vosk_model(None, {MODEL_ENV: str(tmp_path / "missing")}, [])


def test_registry_has_the_small_english_model():
    names = {entry.name: entry for entry in load_registry()}
    entry = names["vosk-model-small-en-us-0.15"]
    assert entry.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"


def test_auto_falls_back_to_pocketsphinx_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr("voicecoach.asr.factory.find_vosk_model", lambda model: None)
    recognizer = make_recognizer("auto")
    assert recognizer.engine == "pocketsphinx"
    assert "auto: no Vosk model found" in recognizer.description
    with pytest.raises(EngineUnavailable):
        make_recognizer("vosk")
    with pytest.raises(UsageError):
        make_recognizer("whisper")
