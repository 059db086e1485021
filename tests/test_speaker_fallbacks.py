"""When the voice cannot be heard: no such device, or a synthesizer that fails mid-session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from voicecoach.session.actions import CancelSpeech, Say, SpeechKind
from voicecoach.speaker_sink import SpeakerSink
from voicecoach.timing import estimate_speech_seconds

ROUTINE = str(Path(__file__).parent / "data" / "session-test.yaml")


class BrokenSpeaker:
    """A speaker whose synthesizer died: every call fails, as EngineUnavailable would."""

    def __init__(self) -> None:
        self.calls = 0

    def say(self, *args, **kwargs):
        self.calls += 1
        raise RuntimeError("espeak-ng stopped answering")

    cancel = duration = say


def test_a_failing_voice_is_reported_once_and_the_session_goes_on():
    reports: list[str] = []
    sink = SpeakerSink(BrokenSpeaker(), report=reports.append)
    sink.outputs([Say("Begin.", SpeechKind.CUE, 1.0, 0.5), CancelSpeech(1.2), Say("1", SpeechKind.COUNT, 2.0, 0.5)])
    sink.outputs([Say("2", SpeechKind.COUNT, 3.0, 0.5)])
    assert reports == ["the coach's voice failed (espeak-ng stopped answering); carrying on in print"]
    assert sink.speech_seconds("Keep your spine straight.", 1.0) == estimate_speech_seconds("Keep your spine straight.", 1.0)


def test_no_output_device_prints_the_transcript_once_and_says_why(tmp_path):
    commands = tmp_path / "commands.txt"
    commands.write_text("3 end session\n4 yes\n")
    result = subprocess.run(
        [sys.executable, "-m", "voicecoach", "run", ROUTINE, "--commands", str(commands),
         "--output-device", "no-such-speaker-anywhere", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "[00:00.0] coach: Welcome. This is Session test."
    assert not any(line.startswith("[coach]") for line in lines), "each line printed twice"
    assert result.stderr.count("the coach's words will be printed instead") == 1
    assert "no-such-speaker-anywhere" in result.stderr
