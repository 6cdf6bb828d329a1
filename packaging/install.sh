#!/usr/bin/env bash
# Installs everything Tandem needs on this machine: Qt's system libraries, a virtual environment
# in .venv and the Python packages. Usage: packaging/install.sh [--dev]   (--dev adds test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's window plugin (xcb) and text rendering need these on Debian/Ubuntu.
system_packages=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1
  libxcb-render-util0 libxcb-image0 libxcb-shape0 libxcb-xkb1 libegl1 libgl1
  libfontconfig1 libdbus-1-3 fonts-dejavu-core)
# Names in any script: Noto covers what DejaVu lacks (Chinese, Japanese, Korean, Arabic, Hindi…).
[ "${1:-}" = "--dev" ] || system_packages+=(fonts-noto-core fonts-noto-cjk)
if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system libraries for Qt: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
extra=""; [ "${1:-}" = "--dev" ] && extra="[dev]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
