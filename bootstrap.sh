#!/usr/bin/env bash
# One bootstrap for a fresh Debian 12 machine (run as root, as on kiosk images and CI):
#   bash bootstrap.sh demo   install what is missing, then open the kiosk demo
#   bash bootstrap.sh test   install what is missing, then run the checks and the test suite
# Every step is idempotent: a second run skips what is already there and starts within seconds.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
STATE="$ROOT/.kiosk-state"
mkdir -p "$STATE"

APT_PACKAGES=(
  python3 python3-venv python3-dev build-essential            # the interpreter, and a compiler for pyscard
  libpcsclite-dev swig pcscd vsmartcard-vpcd libusb-1.0-0     # PC/SC: pyscard build, daemon, virtual reader; USB printers
  fonts-wqy-microhei fontconfig                               # a CJK font for the system (one is also bundled)
  libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1                  # Qt's xcb platform plugin on a real display
  xvfb xauth                                                  # a virtual display for the demo on headless machines
  postgresql                                                  # the reference platform's PostgreSQL test
)

log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" != 0 ]; then
      log "missing Debian packages: ${missing[*]} (run as root, or install them first)"; exit 1
    fi
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pick_python() {
  for c in python3.11 python3.12 python3.13 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$c"; return
    fi
  done
  log "no Python >= 3.11 with venv found"; exit 1
}

install_venv() {
  local stamp="$STATE/venv.stamp" want
  want=$(cat pyproject.toml | sha256sum | cut -c1-16)
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating the virtual environment in .venv"
    "$(pick_python)" -m venv "$VENV"
  fi
  log "installing Python packages (pyproject.toml changed or first run)"
  "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/python" -m pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/python" -c "import PySide6, sqlalchemy, smartcard, escpos, cv2, fastapi" \
    || { log "the Python packages did not install"; exit 1; }
  echo "$want" > "$stamp"
}

build_translations() {
  local ts
  for ts in resources/i18n/*.ts; do
    [ -e "$ts" ] || continue
    local qm="${ts%.ts}.qm"
    if [ ! -e "$qm" ] || [ "$ts" -nt "$qm" ]; then
      "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
    fi
  done
}

setup() {
  install_apt
  install_venv
  build_translations
}

start_pcscd() {
  # pcscd with the vpcd virtual reader (vsmartcard-vpcd) for the PC/SC tests.
  [ -f /etc/reader.conf.d/vpcd ] || { echo "vsmartcard-vpcd missing (/etc/reader.conf.d/vpcd)" >&2; return 1; }
  local pid
  pid=$(tr -cd 0-9 < /run/pcscd/pcscd.pid 2>/dev/null || true)   # the file ends in a NUL byte
  if [ -n "$pid" ] && [ -S /run/pcscd/pcscd.comm ] && [ -d "/proc/$pid" ] \
     && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
    :
  else
    log "starting pcscd (virtual reader vpcd on 127.0.0.1:35963)"
    pcscd   # daemonises; cleans up stale pid/socket files of a crashed one
  fi
  # ready when the vpcd driver listens for virtual cards on 127.0.0.1:35963 (0x8C7B)
  for _ in $(seq 100); do
    awk 'NR > 1 && $2 ~ /:8C7B$/ && $4 == "0A" { found = 1 } END { exit !found }' /proc/net/tcp && return 0
    sleep 0.1
  done
  echo "pcscd did not bring up the vpcd reader (port 35963 not listening)" >&2
  return 1
}

cmd_test() {
  setup
  start_pcscd
  export QT_QPA_PLATFORM=offscreen
  log "import contracts (import-linter)"
  "$VENV/bin/lint-imports" --no-cache
  log "ruff"
  "$VENV/bin/ruff" check kiosk ui devices offline_cache tests main.py
  log "tests"
  "$VENV/bin/python" -m pytest "$@"
}

cmd_demo() {
  setup
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    if [ "${KIOSK_DEMO_XVFB:-0}" = 1 ]; then
      log "no display: running the demo on a virtual X display (Xvfb) for 60 s"
      exec xvfb-run -a -s "-screen 0 1080x1920x24" "$VENV/bin/kiosk" --demo --exit-after 60 "$@"
    fi
    log "no display found: the demo runs on Qt's offscreen platform and saves a screenshot of the home screen"
    log "(on a machine with a screen it opens the kiosk window; KIOSK_DEMO_XVFB=1 uses a virtual X display)"
  fi
  exec "$VENV/bin/kiosk" --demo --windowed "$@"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  setup) setup ;;
  *) echo "usage: bash bootstrap.sh demo|test [ARGS]"; exit 2 ;;
esac
