#!/usr/bin/env bash
# Install hemalog into .venv and then start the app (`app`) or run the whole
# test suite headless (`test`). Safe to run again: it only installs what is missing.
#
#   bash scripts/setup.sh app    # install, then open the ward app
#   bash scripts/setup.sh test   # install, then run every test (offscreen)
set -euo pipefail

mode="${1:-app}"
shift || true
case "$mode" in app|test) ;; *) echo "usage: bash scripts/setup.sh app|test [args...]" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."

# --- Debian libraries Qt needs (only as root; only when missing) -------------
# soname-or-path:package pairs; `ldconfig -p` tells which libraries are present.
headless="libglib-2.0.so.0:libglib2.0-0 libEGL.so.1:libegl1 libGL.so.1:libgl1
libfontconfig.so.1:libfontconfig1 libfreetype.so.6:libfreetype6 libdbus-1.so.3:libdbus-1-3
libxkbcommon.so.0:libxkbcommon0 libX11.so.6:libx11-6
/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei
/usr/bin/pdftoppm:poppler-utils /usr/share/poppler/cMap:poppler-data"
window="libX11-xcb.so.1:libx11-xcb1 libxcb.so.1:libxcb1 libxcb-cursor.so.0:libxcb-cursor0
libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1
libxcb-randr.so.0:libxcb-randr0 libxcb-render.so.0:libxcb-render0
libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0
libxcb-shm.so.0:libxcb-shm0 libxcb-sync.so.1:libxcb-sync1 libxcb-util.so.1:libxcb-util1
libxcb-xfixes.so.0:libxcb-xfixes0 libxcb-xkb.so.1:libxcb-xkb1
libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-glx.so.0:libxcb-glx0 libcups.so.2:libcups2
/usr/bin/Xvfb:xvfb /usr/bin/xauth:xauth"
wanted="$headless"
[ "$mode" = app ] && wanted="$headless $window"

libs="$(ldconfig -p 2>/dev/null || true)"
missing=()
for pair in $wanted; do
  thing="${pair%%:*}"; pkg="${pair#*:}"
  if [[ "$thing" == /* ]]; then [ -e "$thing" ] && continue
  else grep -q "[[:space:]]$thing " <<<"$libs" && continue
  fi
  missing+=("$pkg")
done
# The tests start a throwaway PostgreSQL cluster (tests/pgserver.py) from the Debian
# server binaries; the app itself never needs a server on the workstation.
if [ "$mode" = test ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: note: these Debian packages are missing; ask an administrator to install them:"
    echo "       ${missing[*]}"
  fi
fi

# --- Python environment --------------------------------------------------------
py=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    py="$candidate"; break
  fi
done
[ -n "$py" ] || { echo "setup: Python 3.11 or newer is needed" >&2; exit 1; }
[ -x .venv/bin/python ] || "$py" -m venv .venv
extras=""
[ "$mode" = test ] && extras="[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
# The build steps: compile the translation catalogue (.ts -> .qm) with Qt's lrelease,
# and hemalog's bytecode, so that the first start does not compile ~100 modules itself.
.venv/bin/python scripts/i18n.py compile
.venv/bin/python -m compileall -q clinical storage gui reports lang cli main.py >/dev/null

if [ "$mode" = app ]; then
  exec .venv/bin/hemalog "$@"
fi
export QT_QPA_PLATFORM=offscreen
# pytest exits 5 when it collects no tests, so an empty run fails too.
exec .venv/bin/python -m pytest -q "$@"
