#!/usr/bin/env bash
# Smoke test of the Linux installers (`make package-test`).
#
# 1. builds the bundle, the .tar.gz and the .deb (build_linux.sh);
# 2. from the bundle, with a fresh HOME, a bare environment and no network (a new network namespace via
#    `unshare -rn`, which holds only a downed loopback), runs
#       clearance check "TikTok Pte. Ltd." --json     → exit 0, status "restricted", user database created
#       clearance gui --self-test                     → offscreen window: search, open a result, exit 0
#       clearance-gui --self-test                     → the same through the windowed executable's name
# 3. unpacks the .deb into a scratch root (dpkg -x) and runs the same from there: through /usr/bin/clearance
#    with the scratch /opt mounted read-only over /opt in a private mount namespace where that is allowed, else
#    from the scratch /opt/clearance directly.
# Each time, `clearance --version` must report the version in pyproject.toml.
#
# Installs what it needs (dpkg-deb, unshare, binutils) with apt-get when missing and allowed.
# Finally the unpacked bundle must not exceed MAX_BUNDLE_MB (default 120, the target in DESIGN.md).
# Environment: PYTHON (as for build_linux.sh), SKIP_BUILD=1 to test what is already in dist/, MAX_BUNDLE_MB.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${DIST:-dist}"
START=$SECONDS
FAILURES=0

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; FAILURES=$((FAILURES + 1)); }

# ---- tools ------------------------------------------------------------------------------------------------------
need=()
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v unshare >/dev/null || need+=(util-linux)
command -v readelf >/dev/null || need+=(binutils)
command -v xz >/dev/null || need+=(xz-utils)
if ((${#need[@]})); then
    if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
        say "installing ${need[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    else
        echo "package_test: missing ${need[*]} and cannot install them (need apt-get as root)" >&2
        exit 2
    fi
fi

# ---- build ------------------------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    say "building (build_linux.sh)"
    DIST="$DIST" bash build_scripts/build_linux.sh
fi
VERSION="$(sed -n '0,/^version *= */s/^version *= *"\(.*\)"/\1/p' pyproject.toml)"
DEB="$(ls -t "$DIST"/clearance_"$VERSION"_*.deb | sed -n 1p)"
test -x "$DIST/clearance/clearance" || { echo "no bundle in $DIST/clearance" >&2; exit 1; }

# ---- isolation --------------------------------------------------------------------------------------------------
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/clearance-package-test.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
if unshare -rn true 2>/dev/null; then
    NONET=(unshare -rn)
    say "network: unreachable (private network namespace, unshare -rn)"
else
    NONET=()
    say "network: unshare -rn is not permitted here; running with a bare environment (no proxy variables) instead"
fi

# A bare environment: a new HOME, no proxies, no XDG or Python variables from the caller.
clean_env() {
    local home="$1"
    shift
    env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR="$SCRATCH/tmp" \
        QT_QPA_PLATFORM=offscreen "$@"
}
mkdir -p "$SCRATCH/tmp"

check_json() {  # file: the JSON printed by `clearance check --json`
    "${PYTHON:-python3}" - "$1" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1], encoding="utf-8"))
det = out.get("determination") or {}
match = out.get("match") or {}
status = det.get("status")
print(f"  match: {match.get('name')!r}  status: {status}  share: {det.get('restricted_share')}")
sys.exit(0 if status == "restricted" else 1)
EOF
}

# smoke LABEL CLI GUI [WRAPPER...]: the three runs with a fresh HOME each time the database is expected anew.
smoke() {
    local label="$1" cli="$2" gui="$3"
    shift 3
    local wrap=("$@")
    local home="$SCRATCH/home-$label"
    rm -rf "$home" && mkdir -p "$home"
    local reported
    reported="$(clean_env "$home" "${wrap[@]}" "$cli" --version 2>&1 || true)"
    if [[ "$reported" != "clearance $VERSION" ]]; then
        fail "$label: clearance --version says '$reported', expected 'clearance $VERSION'"
    fi
    say "$label: clearance check \"TikTok Pte. Ltd.\" --json (fresh HOME)"
    local t0=$SECONDS rc=0
    clean_env "$home" "${wrap[@]}" "$cli" check "TikTok Pte. Ltd." --json >"$SCRATCH/check.json" 2>"$SCRATCH/check.err" || rc=$?
    if [[ $rc != 0 ]]; then
        fail "$label: check exited $rc"; cat "$SCRATCH/check.err" >&2
    elif ! check_json "$SCRATCH/check.json"; then
        fail "$label: status is not \"restricted\""
    fi
    if [[ -z "$(find "$home" -name clearance.db -print -quit)" ]]; then
        fail "$label: no user database was created under the fresh HOME"
    else
        echo "  user database: $(find "$home" -name clearance.db | sed "s|$home|~|") ($((SECONDS - t0)) s incl. first start)"
    fi
    for how in "cli:gui --self-test" "gui:--self-test"; do
        local exe="$cli" args=(gui --self-test) name="clearance gui --self-test"
        if [[ "${how%%:*}" == gui ]]; then exe="$gui"; args=(--self-test); name="clearance-gui --self-test"; fi
        say "$label: $name (offscreen)"
        rc=0
        clean_env "$home" "${wrap[@]}" "$exe" "${args[@]}" >"$SCRATCH/gui.out" 2>&1 || rc=$?
        sed 's/^/  /' "$SCRATCH/gui.out" | grep -v 'propagateSizeHints' || true
        if [[ $rc != 0 ]] || ! grep -q 'self-test: ok' "$SCRATCH/gui.out"; then
            fail "$label: $name exited $rc"
        fi
    done
}

# ---- from the bundle --------------------------------------------------------------------------------------------
BUNDLE="$(cd "$DIST/clearance" && pwd)"
smoke bundle "$BUNDLE/clearance" "$BUNDLE/clearance-gui" "${NONET[@]}"

# ---- from the .deb, unpacked into a scratch root ----------------------------------------------------------------
say "deb: dpkg -x $(basename "$DEB")"
DEBROOT="$SCRATCH/root"
dpkg -x "$DEB" "$DEBROOT"
for f in opt/clearance/clearance opt/clearance/clearance-gui usr/share/applications/clearance.desktop \
         usr/share/icons/hicolor/256x256/apps/clearance.png; do
    [[ -e "$DEBROOT/$f" ]] || fail "deb: /$f is missing"
done
for link in clearance clearance-gui; do
    [[ "$(readlink "$DEBROOT/usr/bin/$link")" == "/opt/clearance/$link" ]] || fail "deb: /usr/bin/$link does not point to /opt/clearance/$link"
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$DEBROOT/usr/share/applications/clearance.desktop" || fail "deb: desktop entry does not validate"
fi
DEPENDS="$(dpkg-deb --field "$DEB" Depends)"
echo "  Depends: $DEPENDS"
# The xcb platform plugin cannot load without libxcb-cursor (Qt 6.5+): a fresh desktop must get it with the .deb.
if [[ -n "$(find "$DEBROOT/opt/clearance" -name 'libqxcb.so' -print -quit)" ]]; then
    for pkg in libxcb-cursor0 libxkbcommon-x11-0 libegl1; do
        grep -Eq "(^|, )$pkg( |,|$)" <<<"$DEPENDS" || fail "deb: Depends lacks $pkg, which the bundled Qt plugins load"
    done
fi

# Run it as installed: the scratch /opt mounted read-only over /opt, so /usr/bin/clearance → /opt/clearance/clearance
# resolves and the program cannot write into its own folder, as for a user of an installed package.
# (unshare -rmn: own user, mount and network namespaces; nothing changes outside this process.)
cat >"$SCRATCH/installed.sh" <<EOF
#!/bin/sh
mount --bind '$DEBROOT/opt' /opt && mount -o remount,bind,ro /opt && exec "\$@"
EOF
chmod +x "$SCRATCH/installed.sh"
if unshare -rmn "$SCRATCH/installed.sh" test -x /opt/clearance/clearance 2>/dev/null; then
    say "deb: running /usr/bin/clearance with the package's /opt mounted read-only over /opt"
    smoke deb "$DEBROOT/usr/bin/clearance" "$DEBROOT/usr/bin/clearance-gui" unshare -rmn "$SCRATCH/installed.sh"
else
    say "deb: private mounts not permitted; running from the unpacked /opt/clearance"
    smoke deb "$DEBROOT/opt/clearance/clearance" "$DEBROOT/opt/clearance/clearance-gui" "${NONET[@]}"
fi

# ---- summary ----------------------------------------------------------------------------------------------------
say "summary ($((SECONDS - START)) s)"
du -sh "$DIST/clearance" "$DIST"/clearance-"$VERSION"-linux-*.tar.gz "$DEB" | sed 's/^/  /'
BUNDLE_MB=$(( $(du -sb "$DIST/clearance" | cut -f1) / 1000000 ))
if (( BUNDLE_MB > ${MAX_BUNDLE_MB:-120} )); then
    fail "the unpacked bundle is $BUNDLE_MB MB, over the ${MAX_BUNDLE_MB:-120} MB target (see build/pruned.txt)"
fi
if ((FAILURES)); then
    echo "package-test: $FAILURES failure(s)" >&2
    exit 1
fi
echo "package-test: ok"
