#!/usr/bin/env bash
# System packages Clearance needs on Debian/Ubuntu, by purpose, installed only when something is missing.
#
#   install_system_deps.sh run    libraries the window loads on an X11 or Wayland desktop, and fonts   (make run)
#   install_system_deps.sh test   what the offscreen test run needs: Python venv, Qt's core libraries  (make test)
#   install_system_deps.sh all    both, plus the installer build tools, Xvfb and PostgreSQL             (CI)
#
# Checks with dpkg-query (and, where dpkg is absent, ldconfig) and installs as root directly, else through sudo
# only when something is missing. Where it cannot install, it names what is missing and how to install it.
set -euo pipefail
mode="${1:-all}"

# Python, and the libraries QtGui and QtWidgets load even offscreen.
core=(python3-venv libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0)
# The xcb platform plugin and its helpers (ldd over the bundle's plugins/platforms/libqxcb.so), Wayland, fonts.
desktop=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
         libxcb-render-util0 libxcb-image0 libxcb-util1 libxcb-xkb1 libxcb-shm0 libxcb-sync1 libxcb-xfixes0
         libx11-xcb1 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 libwayland-egl1
         fonts-dejavu-core fonts-noto-cjk)
tools=(binutils dpkg-dev xvfb xauth postgresql)
# Shared objects to look for where dpkg is not available (another distribution): library → what provides it.
declare -A SONAME=(
    [libEGL.so.1]="libEGL (libglvnd)" [libGL.so.1]="libGL (libglvnd)" [libxkbcommon.so.0]="libxkbcommon"
    [libfontconfig.so.1]="fontconfig" [libxcb-cursor.so.0]="xcb-util-cursor" [libxkbcommon-x11.so.0]="libxkbcommon-x11"
    [libxcb-icccm.so.4]="xcb-util-wm" [libxcb-keysyms.so.1]="xcb-util-keysyms" [libxcb-image.so.0]="xcb-util-image"
    [libxcb-render-util.so.0]="xcb-util-renderutil"
)

case "$mode" in
    run) wanted=("${core[@]}" "${desktop[@]}") ;;
    test) wanted=("${core[@]}") ;;
    all) wanted=("${core[@]}" "${desktop[@]}" "${tools[@]}") ;;
    *) echo "usage: $0 [run|test|all]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian or Ubuntu: say which libraries the dynamic linker cannot find, and carry on.
    missing=()
    for lib in "${!SONAME[@]}"; do
        [ "$mode" = test ] && [[ "$lib" == libxcb* || "$lib" == *x11* ]] && continue
        ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$lib " || missing+=("${SONAME[$lib]} ($lib)")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Qt needs these system libraries, not found by ldconfig: ${missing[*]}" >&2
        echo "Install them with your distribution's package manager." >&2
    fi
    exit 0
fi

missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "Missing system packages: ${missing[*]}" >&2
        echo "Install them as root:  apt-get install ${missing[*]}" >&2
        exit 1
    fi
    SUDO=(sudo)
    [ -t 0 ] || SUDO=(sudo -n)  # no terminal to ask for a password on: fail instead of hanging
fi
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && \
       "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "Could not install: ${missing[*]}" >&2
    echo "Install them yourself:  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
