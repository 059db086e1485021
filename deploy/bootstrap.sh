#!/usr/bin/env bash
# Installs what voicecoach needs on Debian or Raspberry Pi OS: the apt packages listed in
# deploy/apt-packages.txt (only those missing), then a virtual environment with the package in it.
# Safe to run again: it does nothing that is already done.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
venv=${VOICECOACH_VENV:-$project/.venv}
extras=${VOICECOACH_EXTRAS:-test}
python=${PYTHON:-python3}

mapfile -t wanted < <(grep -v '^\s*#' "$here/apt-packages.txt" | grep -v '^\s*$')
missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp="$venv/.voicecoach-installed"
if [ ! -f "$stamp" ] || [ "$project/pyproject.toml" -nt "$stamp" ]; then
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q -e "${project}[${extras}]"
    touch "$stamp"
fi
