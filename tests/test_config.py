"""Settings: defaults, the YAML file with lines, environment overrides, `config show|path`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from voicecoach.cli import main
from voicecoach.config import Settings, add_config_argument, describe_settings, load_settings, settings_path
from voicecoach.errors import ConfigError


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """platformdirs reads the XDG variables: point them at a temporary home, and clear ours."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("VOICECOACH_DATA_DIR", raising=False)
    monkeypatch.delenv("VOICECOACH_USER", raising=False)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


DEFAULT_LINES = [
    'voice: ""  (default)',
    "rate: 175  (default)",
    "volume: 1.0  (default)",
    "input_device: null  (default)",
    "output_device: null  (default)",
    "engine: auto  (default)",
    "model: null  (default)",
    "wake_phrase: coach  (default)",
    "default_user: default  (default)",
    "pain_threshold: null  (default)",
]


def test_without_a_file_every_setting_is_the_default(home):
    settings = load_settings()
    assert settings == Settings()
    assert settings.data_dir == home / "data" / "voicecoach"
    assert describe_settings(settings) == DEFAULT_LINES + [f"data_dir: {home / 'data' / 'voicecoach'}  (default)"]


def test_config_path_prints_the_user_config_file(home, capsys):
    assert main(["config", "path"]) == 0
    assert capsys.readouterr() == (f"{home / 'config' / 'voicecoach' / 'settings.yaml'}\n", "")
    assert settings_path() == home / "config" / "voicecoach" / "settings.yaml"


def test_config_show_gives_each_value_with_its_line_or_variable(home, capsys, monkeypatch):
    write(settings_path(), (
        "# the coach in the living room\n"
        "voice: gmw/en-us\n"
        "rate: 150\n"
        "volume: 0.8\n"
        "input_device: USB PnP Sound Device\n"
        "output_device: 2\n"
        "engine: vosk\n"
        "model: models/vosk-small\n"
        "wake_phrase: [Coach, hey coach]\n"
        "default_user: ann\n"
        "pain_threshold: 6\n"
        "data_dir: /srv/coach-from-file\n"
    ))
    monkeypatch.setenv("VOICECOACH_DATA_DIR", str(home / "env-data"))
    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    path = settings_path()
    assert err == ""
    assert out.splitlines() == [
        f"voice: gmw/en-us  ({path}:2)",
        f"rate: 150  ({path}:3)",
        f"volume: 0.8  ({path}:4)",
        f"input_device: USB PnP Sound Device  ({path}:5)",
        f"output_device: 2  ({path}:6)",
        f"engine: vosk  ({path}:7)",
        f"model: {path.parent / 'models' / 'vosk-small'}  ({path}:8)",
        f"wake_phrase: [coach, hey coach]  ({path}:9)",
        f"default_user: ann  ({path}:10)",
        f"pain_threshold: 6  ({path}:11)",
        f"data_dir: {home / 'env-data'}  ($VOICECOACH_DATA_DIR)",
    ]


def test_config_option_names_another_file_and_user_comes_from_the_environment(home, capsys, monkeypatch):
    other = write(home / "elsewhere.yaml", "rate: 120\n")
    monkeypatch.setenv("VOICECOACH_USER", "bob")
    assert main(["config", "show", "--config", str(other)]) == 0
    out, _ = capsys.readouterr()
    assert f"rate: 120  ({other}:1)" in out.splitlines()
    assert "default_user: bob  ($VOICECOACH_USER)" in out.splitlines()


def test_settings_carry_over_to_the_synthesizer_and_the_coach(home):
    path = write(home / "s.yaml", "voice: en\nrate: 140\nvolume: 0.5\npain_threshold: 4\nwake_phrase: Hey  Coach\n")
    settings = load_settings(path)
    voice = settings.voice_settings()
    assert (voice.voice, voice.rate_wpm, voice.volume) == ("en", 140, 0.5)
    assert settings.coach_settings().pain_threshold == 4
    assert settings.wake_phrase == ("hey coach",)
    assert load_settings(write(home / "t.yaml", "volume: 1\n")).coach_settings().pain_threshold is None


@pytest.mark.parametrize("text", ["", "# nothing set yet\n", "---\n", "data_dir: null\nmodel: null\n"])
def test_an_empty_or_comment_only_file_means_the_defaults(home, text):
    assert load_settings(write(home / "s.yaml", text)) == Settings()


def test_add_config_argument_passes_the_path_through(home):
    parser = argparse.ArgumentParser()
    add_config_argument(parser)
    assert parser.parse_args([]).config is None
    path = write(home / "s.yaml", "engine: pocketsphinx\n")
    assert load_settings(parser.parse_args(["--config", str(path)]).config).engine == "pocketsphinx"


BAD_FILES = [
    ("rate: 150\nvolme: 0.5\n", "2: unknown key 'volme' in the settings; did you mean 'volume'?"),
    ("colour: red\n", "1: unknown key 'colour' in the settings"),
    ("rate: fast\n", "1: rate must be a whole number of words per minute, got text 'fast'"),
    ("\n\nrate: 500\n", "3: rate must be 80 to 300 words per minute, got 500"),
    ("volume: 1.5\n", "1: volume must be from 0 to 1, got 1.5"),
    ("volume: yes\n", "1: volume must be a number from 0 to 1, got true/false 'yes'"),
    ("pain_threshold: 11\n", "1: pain_threshold must be a whole number from 0 to 10, got 11"),
    ("engine: vosc\n", "1: engine must be one of auto, pocketsphinx, vosk; got text 'vosc'; did you mean 'vosk'?"),
    ("input_device: -1\n", "1: input_device must be a device name or an index of 0 or more, got -1"),
    ("output_device: [1, 2]\n", "1: output_device must be a device name or index, got a list"),
    ("wake_phrase: []\n", "1: wake_phrase must be text or a non-empty list of texts, got a list"),
    ("wake_phrase: [coach, 3]\n", "1: wake_phrase must be text, got a number '3'"),
    ("default_user: ''\n", "1: default_user must not be empty"),
    ("rate: 100\nrate: 120\n", "2: duplicate key 'rate' in the settings (first at line 1)"),
    ("- rate: 100\n", "1: the settings must be a mapping of keys, got a list"),
    ("rate: 100\nvoice: [en\n", "3: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got '<stream end>'"),
    ("rate: 100\n  volume: 1\n", "2: not valid YAML: mapping values are not allowed here"),
    ("a: &x 1\nb: *x\n", "2: not valid YAML: aliases (*x) are not supported; write the value out"),
]


@pytest.mark.parametrize("text, message", BAD_FILES)
def test_bad_values_are_reported_with_their_line(home, text, message):
    path = write(home / "bad.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}:{message}"


def test_a_bad_file_stops_config_show_with_one_message_and_exit_2(home, capsys):
    path = write(home / "bad.yaml", "rate: 100\nvolme: 0.5\n")
    assert main(["config", "show", "--config", str(path)]) == 2
    assert capsys.readouterr() == ("", f"voicecoach: {path}:2: unknown key 'volme' in the settings; did you mean 'volume'?\n")


def test_the_default_file_is_checked_too(home, capsys):
    write(settings_path(), "rate: slow\n")
    assert main(["config", "show"]) == 2
    expected = f"voicecoach: {settings_path()}:1: rate must be a whole number of words per minute, got text 'slow'\n"
    assert capsys.readouterr() == ("", expected)


def test_a_missing_explicit_file_is_an_error(home, capsys):
    assert main(["config", "show", "--config", "nowhere.yaml"]) == 2
    assert capsys.readouterr() == ("", "voicecoach: nowhere.yaml: no such settings file\n")


def test_a_file_that_is_not_utf8_names_its_line(home):
    path = home / "latin1.yaml"
    path.write_bytes(b"rate: 100\nvoice: caf\xe9\n")
    with pytest.raises(ConfigError, match=r"latin1\.yaml:2: not UTF-8 text \(byte 20 is 0xe9\)$"):
        load_settings(path)


def test_a_python_tag_is_never_run(home):
    path = write(home / "evil.yaml", "voice: !!python/object/apply:os.system ['touch pwned']\n")
    with pytest.raises(ConfigError, match=r"evil\.yaml:1: voice must be text, got a value tagged !!python/object/apply:os.system"):
        load_settings(path)
    assert not (home / "pwned").exists()
