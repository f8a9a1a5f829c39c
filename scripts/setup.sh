#!/usr/bin/env bash
# Set up everything Muscle Twitch Guide needs: system packages, then a virtual environment.
# Safe to run again: each step is skipped when it is already done.
# With --dev (make test, make bench) it also installs flite, a second speech synthesiser that
# the tests and benchmarks speak with; the assistant itself does not need it.
set -euo pipefail
cd "$(dirname "$0")/.."

# sphinxbase-utils, pocketsphinx (its command-line tools) and sphinxtrain learn a person's
# voice (twitch-guide voice --learn-my-voice); the Python pocketsphinx does the listening.
DEFAULT_PACKAGES="espeak-ng alsa-utils libportaudio2 sphinxbase-utils pocketsphinx sphinxtrain"
if [ "${1:-}" = "--dev" ]; then
  DEFAULT_PACKAGES="$DEFAULT_PACKAGES flite"
fi
read -r -a SYSTEM_PACKAGES <<< "${SETUP_SYSTEM_PACKAGES:-$DEFAULT_PACKAGES}"
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

missing_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup: not a Debian or Ubuntu system; install espeak-ng, aplay (alsa-utils) and PortAudio yourself (CMU Sphinx's sphinx_fe, bw and mllr_solve to learn a voice; flite for the tests)." >&2
    return 0
  fi
  local missing
  missing=$(missing_system_packages)
  [ -z "$missing" ] && return 0
  local apt=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      apt=(sudo apt-get)
    else
      echo "setup: these system packages are missing: $missing" >&2
      echo "setup: install them with: sudo apt-get update && sudo apt-get install -y $missing" >&2
      echo "setup: text mode works without them; speech needs them (learning a voice the sphinx tools, the voice tests flite)." >&2
      return 0
    fi
  fi
  echo "setup: installing system packages: $missing" >&2
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends $missing >/dev/null
}

install_python_packages() {
  local stamp="$VENV/.installed"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing Python packages into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]'
    touch "$stamp"
  fi
}

install_system_packages
install_python_packages
