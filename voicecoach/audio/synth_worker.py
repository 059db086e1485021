"""The pyttsx3 process: renders one utterance per request and sends back its PCM.

It runs apart from the coach because, with the espeak-ng driver, pyttsx3 drives espeak-ng's own
thread and loses or delays property changes after a few utterances (measured: a rate set after the
fifth utterance was applied late or never), and a lost end-of-message event makes `runAndWait`
loop for ever. With settings fixed for the life of the process every utterance came out the
same; a hang costs only this process, which the parent kills and starts again.

Protocol, on the pipes it was given: one request line "<text as JSON string>\n" on stdin; the reply
on the original stdout is "ok <rate> <n_bytes>\n" followed by mono int16 PCM, or "error <message>\n".
The first line written, once the engine is ready, is "ready\n". Only the standard library and
pyttsx3 are imported, so it starts quickly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import wave


RENDER_ATTEMPTS = 3
"""Tries per utterance: now and then (2 first utterances in 40 fresh workers, measured) pyttsx3's espeak-ng driver writes
an empty file, losing the audio to a race with espeak-ng's thread; a second try has always worked."""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voice", default="")
    parser.add_argument("--rate", type=int, required=True)
    args = parser.parse_args()
    # pyttsx3 prints "Audio saved to ..." on stdout, so replies use a private copy of the pipe.
    reply = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = open(os.devnull, "w")
    os.dup2(sys.stderr.fileno(), 1)
    try:
        import pyttsx3

        engine = pyttsx3.init("espeak")
        if args.voice:
            engine.setProperty("voice", args.voice)
        engine.setProperty("rate", args.rate)
        # Properties are queued until the first run; one throwaway utterance applies them.
        with tempfile.TemporaryDirectory(prefix="voicecoach-tts-") as folder:
            engine.save_to_file("ready", os.path.join(folder, "warm.wav"))
            engine.runAndWait()
        current = str(engine.getProperty("voice") or "").lower()
        wanted = args.voice.lower()
        # espeak-ng falls back to its default voice on an unknown name instead of failing.
        if wanted and current != wanted and not current.endswith("/" + wanted):
            reply.write(f"error unknown voice {args.voice!r} (espeak-ng --voices lists them)\n".encode())
            reply.flush()
            return 1
    except Exception as error:  # any failure here means "no engine"; the parent says what to install
        reply.write(f"error {type(error).__name__}: {error}\n".encode())
        reply.flush()
        return 1
    reply.write(b"ready\n")
    reply.flush()
    with tempfile.TemporaryDirectory(prefix="voicecoach-tts-") as folder:
        path = os.path.join(folder, "utterance.wav")
        for line in sys.stdin:
            text = json.loads(line)
            try:
                for _ in range(RENDER_ATTEMPTS):
                    engine.save_to_file(text, path)
                    engine.runAndWait()
                    with wave.open(path, "rb") as reader:
                        rate = reader.getframerate()
                        pcm = reader.readframes(reader.getnframes())
                    os.remove(path)
                    if pcm:
                        break
            except Exception as error:
                reply.write(f"error {type(error).__name__}: {error}\n".encode())
                reply.flush()
                continue
            reply.write(f"ok {rate} {len(pcm)}\n".encode() + pcm)
            reply.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
