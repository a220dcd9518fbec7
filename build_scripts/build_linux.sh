#!/usr/bin/env bash
# Build the Linux bundle, a .tar.gz of it and a .deb.
#
#   build_scripts/build_linux.sh            (from the repository root or anywhere)
#
# Environment:
#   PYTHON        the Python that has Clearance and PyInstaller installed (default: .venv/bin/python, else python3)
#   DIST          output folder (default: dist)
#   SKIP_FREEZE=1 reuse an existing $DIST/clearance bundle instead of running PyInstaller again
#   PYI_LOG_LEVEL PyInstaller's log level (default ERROR: its warnings are mostly about plugins the spec prunes)
#   (the spec's own switches, CLEARANCE_NO_PRUNE, CLEARANCE_POSTGRES, CLEARANCE_TRIM_ICU, pass through)
#
# Produces:
#   $DIST/clearance/                                  the one-folder bundle (clearance, clearance-gui, _internal/)
#   $DIST/clearance-<version>-linux-<arch>.tar.gz     the bundle as a download
#   $DIST/clearance_<version>_<debarch>.deb           installs /opt/clearance, /usr/bin/clearance,
#                                                     /usr/bin/clearance-gui, a desktop entry and icons
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
DIST="${DIST:-dist}"
WORK="build/linux"
BUNDLE="$DIST/clearance"

VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
DESCRIPTION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["description"])')"
ARCH="$(uname -m)"
DEB_ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"

say() { printf '\n== %s\n' "$*"; }

# ---- 1. the bundle ----------------------------------------------------------------------------------------------
if [[ "${SKIP_FREEZE:-0}" != 1 || ! -x "$BUNDLE/clearance" ]]; then
    say "PyInstaller: $BUNDLE"
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level "${PYI_LOG_LEVEL:-ERROR}" \
        --distpath "$DIST" --workpath build/pyinstaller build_scripts/clearance.spec
fi
test -x "$BUNDLE/clearance" && test -e "$BUNDLE/clearance-gui"

# ---- 2. the .tar.gz ---------------------------------------------------------------------------------------------
TARBALL="$DIST/clearance-$VERSION-linux-$ARCH.tar.gz"
say "tarball: $TARBALL"
tar -C "$DIST" --owner=0 --group=0 --numeric-owner -czf "$TARBALL" clearance

# ---- 3. the .deb ------------------------------------------------------------------------------------------------
STAGE="$WORK/deb"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/doc/clearance"
cp -a "$BUNDLE" "$STAGE/opt/clearance"
# The .tar.gz carries the xcb helper libraries (libxcb-cursor and friends) for desktops that lack them; the .deb
# takes them from the system's packages instead, matched to its libxcb, and depends on them (below).
find "$STAGE/opt/clearance" -maxdepth 2 -name 'libxcb-*.so*' -delete
ln -s /opt/clearance/clearance "$STAGE/usr/bin/clearance"
ln -s /opt/clearance/clearance-gui "$STAGE/usr/bin/clearance-gui"

ICONS=build/icons  # written by the spec (make_icons.py)
for n in 16 24 32 48 64 128 256 512; do
    install -Dm644 "$ICONS/clearance-$n.png" "$STAGE/usr/share/icons/hicolor/${n}x${n}/apps/clearance.png"
done
if [[ -f "$ICONS/clearance.svg" ]]; then
    install -Dm644 "$ICONS/clearance.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/clearance.svg"
fi

# The file name matches the application's desktop file name (Wayland app id), so the window gets this icon.
cat > "$STAGE/usr/share/applications/clearance.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=Clearance
GenericName=Customer eligibility check
Comment=Check whether a prospective customer may be served under the sales-restriction policy
Exec=/usr/bin/clearance-gui
TryExec=/usr/bin/clearance-gui
Icon=clearance
Terminal=false
Categories=Office;Finance;
Keywords=customer;ownership;sanctions;restriction;eligibility;
StartupNotify=true
EOF

cat > "$STAGE/usr/share/doc/clearance/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: clearance
Comment: Clearance $VERSION. The bundle under /opt/clearance includes Python, Qt (PySide6, LGPLv3),
 SQLAlchemy, Alembic, RapidFuzz, platformdirs, anyascii and their licences in their dist-info folders.

Files: *
License: MIT
EOF

# Depends: the glibc the bundle was built against, and the package of every shared library the bundle links
# to but does not carry (resolved on the build machine; a short table covers the X11 helpers it may lack).
say "dependencies"
declare -A KNOWN=(
    [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-image.so.0]=libxcb-image0
    [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb.so.1]=libxcb1
    [libX11.so.6]=libx11-6 [libX11-xcb.so.1]=libx11-xcb1 [libxkbcommon.so.0]=libxkbcommon0
    [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6
    [libdbus-1.so.3]=libdbus-1-3 [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libOpenGL.so.0]=libopengl0
    [libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
    [libglib-2.0.so.0]=libglib2.0-0 [libstdc++.so.6]=libstdc++6 [libgcc_s.so.1]=libgcc-s1 [libz.so.1]=zlib1g
    [libexpat.so.1]=libexpat1 [liblzma.so.5]=liblzma5 [libbz2.so.1.0]=libbz2-1.0 [libzstd.so.1]=libzstd1
)
DEB_BUNDLE="$STAGE/opt/clearance"
mapfile -t ELF_FILES < <(find "$DEB_BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c \
    'head -c4 "$1" | grep -q "ELF" && echo "$1"' _ {} \;)
declare -A PROVIDED=()
while IFS= read -r f; do PROVIDED["$(basename "$f")"]=1; done < <(find "$DEB_BUNDLE" \( -type f -o -type l \) -name '*.so*')
declare -A PACKAGES=()
UNRESOLVED=()
GLIBC_MIN=2.17
while IFS= read -r lib; do
    [[ -n "${PROVIDED[$lib]:-}" ]] && continue
    case "$lib" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libutil.so.*|ld-linux*|libcrypt.so.*) continue ;;
    esac
    pkg=""
    # (the readers below consume all their input: with pipefail, a reader that stops early fails the pipeline)
    path="$(/sbin/ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ && !n++ {print $NF}')"
    if [[ -n "$path" ]]; then
        for candidate in "$path" "$(readlink -f "$path")" "/usr$path"; do
            pkg="$(dpkg -S "$candidate" 2>/dev/null | awk -F: 'NR == 1 {print $1}' || true)"
            [[ -n "$pkg" ]] && break
        done
    fi
    [[ -z "$pkg" ]] && pkg="${KNOWN[$lib]:-}"
    if [[ -n "$pkg" ]]; then PACKAGES["$pkg"]=1; else UNRESOLVED+=("$lib"); fi
done < <(for f in "${ELF_FILES[@]}"; do readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; done | sort -u)
# Then every library the bundled Qt plugins load as the dynamic linker resolves them (ldd follows what those load
# in turn, e.g. libqxcb.so → libQt6XcbQpa → libxcb-cursor.so.0): each one outside the bundle must come from a
# package in Depends, so a fresh desktop gets it with the .deb.
mapfile -t QT_PLUGINS < <(find "$DEB_BUNDLE" -path '*/plugins/*' -name '*.so' -type f)
BUNDLE_LIBDIRS="$(find "$DEB_BUNDLE" \( -type f -o -type l \) -name '*.so*' -printf '%h\n' | sort -u | paste -sd: -)"
declare -A PLUGIN_LIBS=()
while read -r lib arrow path _; do
    [[ "$arrow" == "=>" ]] || continue
    case "$lib" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libutil.so.*|ld-linux*|libcrypt.so.*) continue ;;
    esac
    [[ -n "${PROVIDED[$lib]:-}" ]] && continue
    pkg=""
    if [[ "$path" != "not" && -n "$path" ]]; then
        for candidate in "$path" "$(readlink -f "$path")" "/usr$path" "${path#/usr}"; do
            pkg="$(dpkg -S "$candidate" 2>/dev/null | awk -F: 'NR == 1 {print $1}' || true)"
            [[ -n "$pkg" ]] && break
        done
    fi
    [[ -z "$pkg" ]] && pkg="${KNOWN[$lib]:-}"
    PLUGIN_LIBS["$lib"]="${pkg:-?}"
    if [[ -n "$pkg" ]]; then PACKAGES["$pkg"]=1; else UNRESOLVED+=("$lib"); fi
done < <(for f in "${QT_PLUGINS[@]}"; do LD_LIBRARY_PATH="$BUNDLE_LIBDIRS" ldd "$f" 2>/dev/null || true; done | sort -u)
echo "Qt plugins (${#QT_PLUGINS[@]}) load from the system: $(for l in $(printf '%s\n' "${!PLUGIN_LIBS[@]}" | sort); do
    printf '%s→%s ' "$l" "${PLUGIN_LIBS[$l]}"; done)"
GLIBC_MIN="$(for f in "${ELF_FILES[@]}"; do readelf -V "$f" 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*'; done \
    | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -u | tail -n1)"
DEPENDS="libc6 (>= ${GLIBC_MIN:-2.28})"
for pkg in $(printf '%s\n' "${!PACKAGES[@]}" | sort); do
    [[ "$pkg" == libc6 ]] && continue
    DEPENDS+=", $pkg"
done
if ((${#UNRESOLVED[@]})); then
    echo "note: no package known for ${UNRESOLVED[*]} (left out of Depends)" >&2
fi
echo "Depends: $DEPENDS"

INSTALLED_KB="$(du -sk --apparent-size "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<EOF
Package: clearance
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: ${DEB_MAINTAINER:-Clearance maintainers <clearance@localhost>}
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: misc
Priority: optional
Description: customer eligibility under an ownership-based sales-restriction policy
 $DESCRIPTION
 Type a customer's name, web domain, e-mail address or LEI and see its status
 (restricted, review, eligible), its ownership chain and the policy rationale.
 Works offline on an embedded database. Command line: clearance; window: clearance-gui.
EOF

DEB="$DIST/clearance_${VERSION}_${DEB_ARCH}.deb"
say "deb: $DEB"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
dpkg-deb --info "$DEB" | sed -n '/Package:/,/Depends:/p'

say "done"
du -sh "$BUNDLE" "$TARBALL" "$DEB"
