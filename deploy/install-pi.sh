#!/usr/bin/env bash
# Installs voicecoach as a service on Raspberry Pi OS Bookworm (arm64 or armhf) or Debian 12:
# the apt packages in deploy/apt-packages.txt, a "voicecoach" system user in group audio, a venv
# in /opt/voicecoach, the systemd unit, and (if wanted) the Vosk speech model.
#
#   sudo deploy/install-pi.sh [--yes | --no-model] [--dry-run]
#
# --dry-run prints every command it would run, changes nothing and needs no root.
# Safe to run again: it updates the installed copy and keeps /etc/voicecoach/settings.yaml.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")

service_user=voicecoach
prefix=/opt/voicecoach
venv=$prefix/venv
source_copy=$prefix/src
state_dir=/var/lib/voicecoach
config_dir=/etc/voicecoach
settings=$config_dir/settings.yaml
unit=voicecoach.service
model=vosk-model-small-en-us-0.15
# What the installed copy needs: the package, the routines and model registry found beside it,
# and the files pip reads to build it.
project_items=(pyproject.toml README.md voicecoach routines models deploy docs)

dry_run=0
model_answer=ask

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case $1 in
        --dry-run) dry_run=1 ;;
        --yes) model_answer=yes ;;
        --no-model) model_answer=no ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-pi: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

# Prints the command as `+ word word ...`, then runs it unless this is a dry run.
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    if [ "$dry_run" -eq 0 ]; then
        "$@"
    fi
}

settings_template() {
    cat <<'EOF'
# voicecoach settings. Every key is optional; `voicecoach config show --config THIS_FILE`
# prints the effective values and where each came from. See deploy/README.md.
#
# voice: gmw/en-us          # espeak-ng voice (espeak-ng --voices)
# rate: 175                 # words per minute, 80..300
# volume: 1.0               # 0..1
# input_device: null        # microphone name or index (arecord -l, python3 -m sounddevice)
# output_device: null       # speaker name or index (aplay -l)
# engine: auto              # auto, pocketsphinx or vosk
# wake_phrase: coach        # or a list: [coach, hey coach]
# default_user: default
# pain_threshold: null      # 0..10, overrides the routines' own
EOF
}

if [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    echo "install-pi: run as root (sudo $0), or with --dry-run to see what it would do" >&2
    exit 1
fi

architecture=$(dpkg --print-architecture 2>/dev/null || uname -m)
echo "install-pi: installing from $project for $architecture$([ "$dry_run" -eq 1 ] && echo ' (dry run)')"

mapfile -t packages < <(grep -v '^\s*#' "$here/apt-packages.txt" | grep -v '^\s*$')
if [ "$architecture" = armhf ]; then
    packages+=(libopenblas0)  # numpy's wheels for 32-bit Raspberry Pi OS (piwheels) link it
fi
run apt-get update
run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"

if id -u "$service_user" >/dev/null 2>&1; then
    run usermod --append --groups audio "$service_user"
else
    run useradd --system --user-group --groups audio --home-dir "$state_dir" --shell /usr/sbin/nologin "$service_user"
fi
run install -d -o "$service_user" -g "$service_user" -m 0750 "$state_dir"

# A fresh copy each time, so a routine deleted from the project is gone from the install too.
run rm -rf "$source_copy"
run install -d "$source_copy"
for item in "${project_items[@]}"; do
    if [ -e "$project/$item" ]; then
        run cp -a "$project/$item" "$source_copy/"
    fi
done
[ -x "$venv/bin/python" ] || run python3 -m venv "$venv"
run "$venv/bin/pip" install --quiet --upgrade pip
# Editable: the bundled routines and the model registry are found beside the package source.
run "$venv/bin/pip" install --quiet -e "$source_copy"

run install -d -m 0755 "$config_dir"
if [ ! -e "$settings" ]; then
    echo "+ write $settings (commented template)"
    [ "$dry_run" -eq 1 ] || settings_template >"$settings"
fi

run install -m 0644 "$here/$unit" "/etc/systemd/system/$unit"
run systemctl daemon-reload
run systemctl enable "$unit"

download=(runuser -u "$service_user" -- env "HOME=$state_dir" "$venv/bin/voicecoach" models download "$model")
if [ "$model_answer" = ask ]; then
    if [ "$dry_run" -eq 1 ]; then
        echo "# would ask: download the Vosk model $model (about 40 MB)?"
        model_answer=yes
    elif [ -t 0 ]; then
        read -r -p "Download the Vosk speech model $model (about 40 MB, recognizes better)? [Y/n] " reply
        case $reply in [nN]*) model_answer=no ;; *) model_answer=yes ;; esac
    else
        model_answer=no
        echo "install-pi: no terminal to ask: skipping the model (run again with --yes to get it)"
    fi
fi
if [ "$model_answer" = yes ]; then
    run "${download[@]}" || echo "install-pi: the model download failed; PocketSphinx will be used." \
        "Retry with: sudo ${download[*]}  (add --sha256 HEX or --no-verify if it asks)" >&2
fi

run systemctl restart "$unit"
echo "install-pi: done. Check it with: sudo runuser -u $service_user -- env HOME=$state_dir $venv/bin/voicecoach doctor --config $settings"
echo "install-pi: logs: journalctl -u voicecoach -f"
