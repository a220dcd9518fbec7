#!/usr/bin/env bash
# Build Clearance.app and a .dmg on macOS.
#
#   build_scripts/macos/build_dmg.sh
#
# Environment:
#   PYTHON                       Python with Clearance and PyInstaller installed (default: .venv/bin/python, else python3)
#   CLEARANCE_CODESIGN_IDENTITY  "Developer ID Application: …" to sign the app (default: ad hoc, runs on the machine
#                                that built it and, after a right-click → Open, elsewhere)
#   NOTARY_PROFILE               a `xcrun notarytool store-credentials` profile: notarize and staple the .dmg
#
# Produces dist/Clearance.app (the window; the command line is Contents/MacOS/clearance) and
# dist/clearance-<version>-macos-<arch>.dmg holding the app and a link to /Applications.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(uname -m)"
APP="dist/Clearance.app"
DMG="dist/clearance-$VERSION-macos-$ARCH.dmg"

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller build_scripts/clearance.spec
test -x "$APP/Contents/MacOS/clearance-gui" && test -x "$APP/Contents/MacOS/clearance"

# Smoke test of the frozen app before it is packed (offscreen: no window server needed).
SMOKE_HOME="$(mktemp -d)"
HOME="$SMOKE_HOME" "$APP/Contents/MacOS/clearance" check "TikTok Pte. Ltd." --json | "$PYTHON" -c \
    'import json, sys; status = json.load(sys.stdin)["determination"]["status"]; print("check:", status); sys.exit(status != "restricted")'
HOME="$SMOKE_HOME" QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/clearance" gui --self-test
rm -rf "$SMOKE_HOME"

STAGE="build/dmg"
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Clearance $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -imagekey zlib-level=9 \
    -ov "$DMG"

if [[ -n "${CLEARANCE_CODESIGN_IDENTITY:-}" ]]; then
    codesign --force --sign "$CLEARANCE_CODESIGN_IDENTITY" --timestamp "$DMG"
    if [[ -n "${NOTARY_PROFILE:-}" ]]; then
        xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$DMG"
    fi
fi
du -sh "$APP" "$DMG"
