"""deploy/: the systemd unit verifies, the scripts pass shellcheck, the installer's dry run."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNIT = DEPLOY / "voicecoach.service"
INSTALLED_BINARY = "/opt/voicecoach/venv/bin/voicecoach"
NOBODY = 65534
"""uid and gid of "nobody" on Debian: the dry run must work for a user who can change nothing."""


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_unit_runs_serve_unprivileged_offline_and_restarts():
    settings = unit_settings(UNIT.read_text())
    assert settings["ExecStart"] == [f"{INSTALLED_BINARY} serve --config /etc/voicecoach/settings.yaml"]
    assert settings["User"] == ["voicecoach"] and settings["SupplementaryGroups"] == ["audio"]
    assert settings["After"] == ["sound.target"]
    assert settings["Restart"] == ["on-failure"] and settings["RestartSec"] == ["10s"]
    assert settings["PrivateNetwork"] == ["yes"] and settings["NoNewPrivileges"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"] and settings["ReadWritePaths"] == ["/var/lib/voicecoach"]
    assert "Environment" in settings and "VOICECOACH_DATA_DIR=/var/lib/voicecoach" in settings["Environment"]
    # These would cut the service off from the sound card.
    assert "PrivateDevices" not in settings and "DevicePolicy" not in settings


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (apt install systemd)")
def test_systemd_analyze_verify_passes_without_warnings(tmp_path):
    # verify insists that ExecStart's program exists: point it at this checkout's voicecoach (or any
    # real executable), everything else unchanged, so the rest of the unit is checked as shipped.
    binary = shutil.which("voicecoach") or shutil.which("true")
    text = UNIT.read_text()
    assert INSTALLED_BINARY in text
    copy = tmp_path / "voicecoach.service"
    copy.write_text(text.replace(INSTALLED_BINARY, binary))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (apt install systemd)")
def test_verify_would_catch_a_misspelt_key(tmp_path):
    """The check above means something: a typo is reported on stderr."""
    binary = shutil.which("true")
    copy = tmp_path / "voicecoach.service"
    copy.write_text(UNIT.read_text().replace(INSTALLED_BINARY, binary).replace("Restart=", "Restrat="))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert "Unknown key" in result.stderr and "Restrat" in result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed (apt install shellcheck)")
def test_shell_scripts_pass_shellcheck():
    scripts = sorted(str(path) for path in DEPLOY.glob("*.sh"))
    assert any(script.endswith("install-pi.sh") for script in scripts)
    result = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def dry_run(*args: str) -> subprocess.CompletedProcess:
    command = [str(DEPLOY / "install-pi.sh"), "--dry-run", *args]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv is missing: cannot show the dry run needs no root")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def apt_packages() -> list[str]:
    lines = (DEPLOY / "apt-packages.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_dry_run_prints_the_commands_changes_nothing_and_needs_no_root():
    result = dry_run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    project = DEPLOY.parent
    try:
        pwd.getpwnam("voicecoach")
        user_line = "+ usermod --append --groups audio voicecoach"
    except KeyError:
        user_line = ("+ useradd --system --user-group --groups audio --home-dir /var/lib/voicecoach "
                     "--shell /usr/sbin/nologin voicecoach")
    packages = apt_packages()
    architecture = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    if architecture == "armhf":
        packages.append("libopenblas0")
    expected_in_order = [
        "+ apt-get update",
        "+ env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " + " ".join(packages),
        user_line,
        "+ install -d -o voicecoach -g voicecoach -m 0750 /var/lib/voicecoach",
        f"+ cp -a {project}/voicecoach /opt/voicecoach/src/",
        f"+ cp -a {project}/routines /opt/voicecoach/src/",
        "+ /opt/voicecoach/venv/bin/pip install --quiet -e /opt/voicecoach/src",
        f"+ install -m 0644 {DEPLOY}/voicecoach.service /etc/systemd/system/voicecoach.service",
        "+ systemctl daemon-reload",
        "+ systemctl enable voicecoach.service",
        "# would ask: download the Vosk model vosk-model-small-en-us-0.15 (about 40 MB)?",
        "+ runuser -u voicecoach -- env HOME=/var/lib/voicecoach /opt/voicecoach/venv/bin/voicecoach "
        "models download vosk-model-small-en-us-0.15",
        "+ systemctl restart voicecoach.service",
    ]
    positions = [lines.index(line) for line in expected_in_order]
    assert positions == sorted(positions)


def test_dry_run_with_no_model_skips_the_download_and_yes_does_not_ask():
    skipped = dry_run("--no-model").stdout
    assert "models download" not in skipped and "would ask" not in skipped
    asked = dry_run("--yes").stdout
    assert "would ask" not in asked
    assert re.search(r"^\+ runuser .* models download vosk-model-small-en-us-0\.15$", asked, re.M)


def test_a_real_run_without_root_refuses_and_an_unknown_option_is_a_usage_error():
    if os.geteuid() == 0:
        pytest.skip("running as root: a real run would install")
    result = subprocess.run([str(DEPLOY / "install-pi.sh")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "run as root" in result.stderr


def test_unknown_option_exits_2():
    result = subprocess.run([str(DEPLOY / "install-pi.sh"), "--frobnicate"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("install-pi: unknown option --frobnicate\n")
