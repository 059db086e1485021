"""`voicecoach doctor`: exact rows and exit codes with fake hardware, then real runs on this machine."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Optional

import numpy as np
import pytest

from voicecoach.audio.devices import OutputDevice
from voicecoach.audio.format import AudioChunk
from voicecoach.cli import doctor_cmd, main
from voicecoach.doctor import CheckResult, Hardware, InputDevice, Status, check_routines, format_result
from voicecoach.errors import AudioDeviceError, EngineUnavailable, UsageError

ROUTINES = Path(__file__).parent / "data" / "routines"
SPEECH_RATE = 22050
FIX_OUTPUT = ("      fix: connect a speaker; set output_device in the settings (`voicecoach config path`) "
              "to a name or index from `aplay -l` or `pactl list short sinks`")
FIX_INPUT = ("      fix: connect a microphone; set input_device in the settings (`voicecoach config path`) "
             "to a name or index from `arecord -l` or `pactl list short sources`")
VOSK_WARNING = [
    "WARN  vosk model          none installed: PocketSphinx is used, which mishears more",
    "      fix: run `voicecoach models download vosk-model-small-en-us-0.15`",
]


class FakeSynthesizer:
    def __init__(self, settings, seconds: float = 2.0, error: Optional[Exception] = None):
        self.settings, self.seconds, self.error = settings, seconds, error

    def synthesize(self, text: str) -> AudioChunk:
        if self.error:
            raise self.error
        return AudioChunk.from_samples(np.zeros(int(self.seconds * SPEECH_RATE), np.int16), SPEECH_RATE)

    def close(self) -> None:
        pass


class FakeRecognizer:
    description = "pocketsphinx en-us (grammar search) (auto: no Vosk model found)"


def raiser(error: Exception):
    def fail(*args, **kwargs):
        raise error

    return fail


def fake_hardware(**changes) -> Hardware:
    """Everything present and working; `changes` break parts of it."""
    working = Hardware(
        synthesizer=lambda settings: FakeSynthesizer(settings),
        find_output=lambda spec: OutputDevice(3, "USB Audio", 48000),
        play_tone=lambda device, seconds: None,
        find_input=lambda spec: InputDevice(2, "USB PnP Sound Device", (16000, 44100, 48000)),
        listen=lambda spec, seconds, meter: 0.25,
        recognizer=lambda engine, model: FakeRecognizer(),
        vosk_model=lambda model: None,
        disk_free=lambda path: 5_000_000_000,
    )
    return replace(working, **changes)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICECOACH_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user settings file
    routines = tmp_path / "routines"
    routines.mkdir()
    shutil.copy(ROUTINES / "valid.yaml", routines)
    monkeypatch.setenv("VOICECOACH_ROUTINES", str(routines))
    return folder


def doctor(monkeypatch, capsys, hardware: Hardware, *args: str) -> tuple[int, list[str]]:
    monkeypatch.setattr(doctor_cmd, "hardware_factory", lambda: hardware)
    code = main(["doctor", *args])
    out, err = capsys.readouterr()
    assert err == ""  # not a terminal: no level meter
    return code, out.splitlines()


def passing_rows(data_dir: Path) -> list[str]:
    return [
        "PASS  speech synthesis    default voice at 175 wpm: 2.0 s of speech at 22050 Hz",
        "PASS  output device       #3 'USB Audio' at 48000 Hz",
        "PASS  input device        #2 'USB PnP Sound Device', rates 16000, 44100, 48000 Hz",
        "PASS  speech recognition  engine auto: pocketsphinx en-us (grammar search) (auto: no Vosk model found)",
        *VOSK_WARNING,
        f"PASS  data folder         {data_dir} is writable",
        f"PASS  free disk           5000 MB free in {data_dir}",
        f"PASS  routines            1 file(s) in {data_dir.parent / 'routines'}, no problems",
    ]


def test_everything_working_passes_with_the_vosk_warning_and_exits_0(monkeypatch, capsys, data_dir):
    code, lines = doctor(monkeypatch, capsys, fake_hardware())
    assert lines == passing_rows(data_dir) + ["ready for hands-free use, 1 warning(s)"]
    assert code == 0


def test_with_a_vosk_model_and_tone_and_listening_all_pass(monkeypatch, capsys, data_dir, tmp_path):
    model = tmp_path / "vosk-model-small-en-us-0.15"
    heard = []
    hardware = fake_hardware(
        vosk_model=lambda explicit: model,
        play_tone=lambda device, seconds: heard.append((device.index, seconds)),
        recognizer=lambda engine, explicit: type("R", (), {"description": f"vosk {model}"})(),
    )
    code, lines = doctor(monkeypatch, capsys, hardware, "--tone", "--listen", "2")
    assert lines[1] == ("PASS  output device       #3 'USB Audio' at 48000 Hz, test tone played "
                        "(heard it? if not: alsamixer or pactl set-sink-volume)")
    assert lines[2] == "PASS  input device        #2 'USB PnP Sound Device', rates 16000, 44100, 48000 Hz, peak -12 dBFS over 2 s"
    assert lines[3] == f"PASS  speech recognition  engine auto: vosk {model}"
    assert lines[4] == f"PASS  vosk model          installed at {model} (see speech recognition for whether it loads)"
    assert lines[-1] == "ready for hands-free use"
    assert heard == [(3, 0.6)]
    assert code == 0


def test_no_sound_devices_fail_and_exit_1(monkeypatch, capsys, data_dir):
    hardware = fake_hardware(
        find_output=raiser(AudioDeviceError("no default output: Error querying device -1")),
        find_input=raiser(AudioDeviceError("no default input: Error querying device -1")),
    )
    code, lines = doctor(monkeypatch, capsys, hardware)
    assert lines[1:5] == [
        "FAIL  output device       no default output: Error querying device -1", FIX_OUTPUT,
        "FAIL  input device        no default input: Error querying device -1", FIX_INPUT,
    ]
    assert lines[-1] == "not ready for hands-free use: 2 failed, 1 warning(s)"
    assert code == 1


def test_speech_synthesis_failure_exits_1_with_the_install_hint(monkeypatch, capsys, data_dir):
    hardware = fake_hardware(synthesizer=lambda settings: FakeSynthesizer(settings, error=EngineUnavailable("espeak-ng is not installed")))
    code, lines = doctor(monkeypatch, capsys, hardware)
    assert lines[:2] == [
        "FAIL  speech synthesis    espeak-ng is not installed",
        "      fix: install espeak-ng (apt install espeak-ng libespeak-ng1) and pyttsx3 (pip install pyttsx3)",
    ]
    assert code == 1


def test_silent_speech_and_an_unknown_voice_fail(monkeypatch, capsys, data_dir):
    silent = fake_hardware(synthesizer=lambda settings: FakeSynthesizer(settings, seconds=0.0))
    code, lines = doctor(monkeypatch, capsys, silent)
    assert lines[0] == "FAIL  speech synthesis    the test phrase came out 0.00 s long"
    assert code == 1
    unknown = fake_hardware(synthesizer=raiser(EngineUnavailable("speech engine failed: unknown voice 'xx'")))
    code, lines = doctor(monkeypatch, capsys, unknown)
    assert lines[:2] == [
        "FAIL  speech synthesis    speech engine failed: unknown voice 'xx'",
        "      fix: pick a voice from `espeak-ng --voices` for `voice` in the settings",
    ]


def test_a_tone_that_cannot_play_fails_the_output(monkeypatch, capsys, data_dir):
    hardware = fake_hardware(play_tone=raiser(AudioDeviceError("device unavailable")))
    code, lines = doctor(monkeypatch, capsys, hardware, "--tone")
    assert lines[1:3] == ["FAIL  output device       #3 'USB Audio' at 48000 Hz: test tone failed: device unavailable", FIX_OUTPUT]
    assert code == 1


@pytest.mark.parametrize("peak, row, fix", [
    (0.0, "WARN  input device        #2 'mic', rates 44100 Hz (resampled to 16000), peak -180 dBFS over 1 s: silence",
     "      fix: unmute and raise the capture level: alsamixer (F4) or pactl set-source-mute @DEFAULT_SOURCE@ 0"),
    (1.0, "WARN  input device        #2 'mic', rates 44100 Hz (resampled to 16000), peak 0 dBFS over 1 s: clipping",
     "      fix: lower the capture level: alsamixer (F4) or pactl set-source-volume"),
])
def test_listening_warns_about_silence_and_clipping_but_still_exits_0(monkeypatch, capsys, data_dir, peak, row, fix):
    levels = []
    hardware = fake_hardware(
        find_input=lambda spec: InputDevice(2, "mic", (44100,)),
        listen=lambda spec, seconds, meter: (meter(peak), levels.append(seconds), peak)[-1],
    )
    code, lines = doctor(monkeypatch, capsys, hardware, "--listen", "1")
    assert lines[2:4] == [row, fix]
    assert levels == [1.0]
    assert code == 0


def test_an_input_without_a_usable_rate_fails(monkeypatch, capsys, data_dir):
    code, lines = doctor(monkeypatch, capsys, fake_hardware(find_input=lambda spec: InputDevice(4, "hdmi", ())))
    assert lines[2:4] == ["FAIL  input device        #4 'hdmi' accepts no mono 16-bit rate", FIX_INPUT]
    assert code == 1


def test_a_missing_engine_fails_and_a_bad_model_path_fails_both_rows(monkeypatch, capsys, data_dir, tmp_path):
    settings = tmp_path / "s.yaml"
    settings.write_text("engine: vosk\nmodel: /nowhere\n")
    error = UsageError("--model /nowhere is not a Vosk model folder (no am/final.mdl)")
    hardware = fake_hardware(recognizer=raiser(error), vosk_model=raiser(error))
    code, lines = doctor(monkeypatch, capsys, hardware, "--config", str(settings))
    assert lines[3:7] == [
        "FAIL  speech recognition  --model /nowhere is not a Vosk model folder (no am/final.mdl)",
        "      fix: run `voicecoach models download vosk-model-small-en-us-0.15`, or set engine: auto",
        "FAIL  vosk model          --model /nowhere is not a Vosk model folder (no am/final.mdl)",
        "      fix: fix or remove `model` in the settings, or run `voicecoach models download vosk-model-small-en-us-0.15`",
    ]
    assert lines[-1] == "not ready for hands-free use: 2 failed, 0 warning(s)"
    assert code == 1


def test_pocketsphinx_chosen_needs_no_vosk_model(monkeypatch, capsys, data_dir, tmp_path):
    settings = tmp_path / "s.yaml"
    settings.write_text("engine: pocketsphinx\n")
    code, lines = doctor(monkeypatch, capsys, fake_hardware(), "--config", str(settings))
    assert lines[4] == "PASS  vosk model          none installed, none needed: engine is pocketsphinx"
    assert (lines[-1], code) == ("ready for hands-free use", 0)


def test_low_disk_warns_and_an_unwritable_data_folder_fails(monkeypatch, capsys, tmp_path, data_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("VOICECOACH_DATA_DIR", str(blocker / "data"))
    code, lines = doctor(monkeypatch, capsys, fake_hardware(disk_free=lambda path: 150_000_000))
    assert lines[6:10] == [
        f"FAIL  data folder         {blocker / 'data'}: Not a directory",
        "      fix: make it writable (chown), or set data_dir in the settings or $VOICECOACH_DATA_DIR",
        f"WARN  free disk           150 MB free in {blocker}",
        "      fix: free at least 200 MB for history and models",
    ]
    assert code == 1


def test_a_bad_settings_file_stops_the_doctor_with_exit_2(monkeypatch, capsys, data_dir, tmp_path):
    settings = tmp_path / "s.yaml"
    settings.write_text("volume: 3\n")
    monkeypatch.setattr(doctor_cmd, "hardware_factory", fake_hardware)
    assert main(["doctor", "--config", str(settings)]) == 2
    assert capsys.readouterr() == ("", f"voicecoach: {settings}:1: volume must be from 0 to 1, got 3\n")


def test_listen_takes_a_sensible_number_of_seconds(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["doctor", "--listen", "0"])
    assert stopped.value.code == 2
    assert "argument --listen: must be more than 0 and at most 60 seconds" in capsys.readouterr().err


@pytest.mark.parametrize("files, status, detail", [
    ([], Status.FAIL, "no routine files in {folder}"),
    (["command-word.yaml"], Status.WARN, "2 warning(s) in 1 file(s), first: {folder}/command-word.yaml:9: warning:"),
    (["valid.yaml", "zero-reps.yaml"], Status.FAIL, "2 error(s) in 2 file(s), first: {folder}/zero-reps.yaml:1: duplicate routine id"),
])
def test_routine_problems_are_reported(tmp_path, files, status, detail):
    for name in files:
        shutil.copy(ROUTINES / name, tmp_path)
    result = check_routines(tmp_path)
    assert result.status is status
    assert result.detail.startswith(detail.format(folder=tmp_path))


def test_a_row_without_a_fix_is_one_line():
    assert format_result(CheckResult("routines", Status.PASS, "fine")) == ["PASS  routines            fine"]


# --- real runs on this machine ------------------------------------------------------------------


def real_doctor(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["doctor", *args])
    out, _ = capsys.readouterr()
    return code, out.splitlines()


ROW_NAMES = ["speech synthesis", "output device", "input device", "speech recognition",
             "vosk model", "data folder", "free disk", "routines"]


def rows(lines: list[str]) -> dict[str, str]:
    return {line[6:24].strip(): line[:4] for line in lines if line[:4] in ("PASS", "WARN", "FAIL")}


def test_real_run_speaks_and_reports_every_check(capsys, data_dir):
    code, lines = real_doctor(capsys)
    statuses = rows(lines)
    assert list(statuses) == ROW_NAMES
    assert statuses["speech synthesis"] == "PASS"
    assert statuses["speech recognition"] == "PASS"  # PocketSphinx is always there
    assert statuses["data folder"] == "PASS"
    assert lines[-1].startswith("ready for hands-free use" if code == 0 else "not ready for hands-free use")
    assert code == (1 if "FAIL" in statuses.values() else 0)


@pytest.mark.audio
def test_real_run_through_a_private_pulseaudio_passes_the_devices(capsys, data_dir, tmp_path, monkeypatch):
    import pulse  # tests/pulse.py

    reason = pulse.pulseaudio_missing_reason()
    if reason:
        pytest.skip(reason)
    server = pulse.start_pulse(tmp_path)
    old = pulse.apply_env(server)
    try:
        pulse.rescan_devices()
        settings = tmp_path / "s.yaml"
        settings.write_text("input_device: pulse\noutput_device: pulse\n")
        code, lines = real_doctor(capsys, "--config", str(settings), "--tone", "--listen", "0.5")
    finally:
        server.stop()
        pulse.restore_env(old)
        pulse.rescan_devices()
    statuses = rows(lines)
    assert statuses["output device"] == "PASS"
    assert statuses["input device"] in ("PASS", "WARN")  # the null sink's monitor is digital silence
    assert "'pulse'" in next(line for line in lines if line.startswith("PASS  output device"))
    assert code == 0, "\n".join(lines)
