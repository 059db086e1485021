"""The program opens no internet socket: a guard during full sessions, in run and in serve."""

from __future__ import annotations

import socket

import pytest

from voicecoach.cli import main

INTERNET_FAMILIES = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def socket_guard(monkeypatch):
    """Every attempt to make an internet socket is recorded and refused; local (unix) sockets pass."""
    attempts: list[tuple] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=socket.AF_INET, *args, **kwargs):
            if family in INTERNET_FAMILIES:
                attempts.append((family, args))
                raise OSError("voicecoach must not open internet sockets")
            super().__init__(family, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    yield attempts
    assert attempts == [], f"internet sockets were attempted: {attempts}"


def test_guard_catches_an_internet_socket(socket_guard):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert len(socket_guard) == 1
    socket_guard.clear()


def test_a_full_session_opens_no_internet_socket(socket_guard, tmp_path, capsys):
    commands = tmp_path / "commands.txt"
    commands.write_text("70 that hurts\n75 two\n80 no\n200 harder\n")
    assert main(["run", "psoas-basics", "--text", "--fast", "--commands", str(commands), "--data-dir", str(tmp_path)]) == 0
    assert "event: session_end status=completed" in capsys.readouterr().out


def test_serving_opens_no_internet_socket(socket_guard, tmp_path, capsys):
    commands = tmp_path / "commands.txt"
    commands.write_text("1 coach start psoas release\n2000 coach goodbye\n")
    assert main(["serve", "--text", "--fast", "--commands", str(commands), "--data-dir", str(tmp_path)]) == 0
    assert "event: session_end status=completed" in capsys.readouterr().out
