#!/usr/bin/env bash
# Figures of the frozen Linux build (run build_linux.sh first):
#
#   - unpacked bundle size, and the compressed downloads (.tar.gz, .deb);
#   - launch → usable window with the database open, warm: `clearance --db DB gui --self-test` started RUNS
#     times on an existing database; the time from launching the process to the self-test's "database open"
#     line (the window is shown before the database is opened, and that line is printed from the window's
#     ready signal), median and best;
#   - first start, which creates the user database from the embedded reference data: the command line with a
#     fresh HOME (`clearance db info`), and the window's self-test, which seeds a new database the same way.
#
# Environment: DIST (default dist), RUNS (default 5), QT_QPA_PLATFORM (default offscreen; under Xvfb, xcb).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${DIST:-dist}"
RUNS="${RUNS:-5}"
BUNDLE="$DIST/clearance"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
test -x "$BUNDLE/clearance" || { echo "no bundle in $BUNDLE: run build_scripts/build_linux.sh first" >&2; exit 1; }
VERSION="$(sed -n '0,/^version *= */s/^version *= *"\(.*\)"/\1/p' pyproject.toml)"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/clearance-measure.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

echo "Clearance $VERSION, frozen Linux build ($BUNDLE), $(nproc) CPUs, QT_QPA_PLATFORM=$QT_QPA_PLATFORM"
echo
echo "size"
printf '  unpacked bundle       %s (%s on disk, %s files)\n' \
    "$(mb "$(du -sb "$BUNDLE" | cut -f1)")" "$(du -sh "$BUNDLE" | cut -f1)" "$(find "$BUNDLE" -type f | wc -l)"
for f in "$DIST"/clearance-"$VERSION"-linux-*.tar.gz "$DIST"/clearance_"$VERSION"_*.deb; do
    [[ -f "$f" ]] && printf '  %-21s %s\n' "$(basename "$f" | sed 's/.*\.\(tar\.gz\|deb\)$/\1/')" "$(mb "$(stat -c %s "$f")")"
done

# timed CMD…: runs CMD, prints "<seconds to the 'database open' line> <seconds to exit> <exit code>"
timed() {
    "${PYTHON:-python3}" - "$@" <<'EOF'
import subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
ready = None
for line in p.stdout:
    if ready is None and "database open" in line:
        ready = time.perf_counter() - t0
p.wait()
done = time.perf_counter() - t0
print(f"{ready if ready is not None else float('nan'):.3f} {done:.3f} {p.returncode}")
EOF
}
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.2f s, best %.2f s (%d runs)", v[int((NR + 1) / 2)], v[1], NR }'; }

echo
echo "first start (fresh HOME: creates the user database from the embedded reference data)"
HOME="$SCRATCH/home" XDG_DATA_HOME= timed "$BUNDLE/clearance" db info >"$SCRATCH/first"
read -r _ first_cli rc <"$SCRATCH/first"
printf '  command line (clearance db info)       %.2f s (exit %s)\n' "$first_cli" "$rc"
HOME="$SCRATCH/home2" timed "$BUNDLE/clearance" gui --self-test >"$SCRATCH/first-gui"
read -r first_gui _ rc <"$SCRATCH/first-gui"
printf '  window (launch → database open)        %.2f s (exit %s)\n' "$first_gui" "$rc"

DB="$(find "$SCRATCH/home" -name clearance.db -print -quit)"
echo
echo "launch → usable window with the database open (warm, existing database)"
HOME="$SCRATCH/home" timed "$BUNDLE/clearance" --db "$DB" gui --self-test >/dev/null  # warm the caches
: >"$SCRATCH/warm"
for _ in $(seq "$RUNS"); do
    HOME="$SCRATCH/home" timed "$BUNDLE/clearance" --db "$DB" gui --self-test | cut -d' ' -f1 >>"$SCRATCH/warm"
done
printf '  %-38s %s\n' "clearance gui --self-test ($QT_QPA_PLATFORM)" "$(stats <"$SCRATCH/warm")"
: >"$SCRATCH/cli"
for _ in $(seq "$RUNS"); do
    HOME="$SCRATCH/home" timed "$BUNDLE/clearance" --db "$DB" check "TikTok Pte. Ltd." --json | cut -d' ' -f2 >>"$SCRATCH/cli"
done
printf '  %-38s %s\n' "clearance check (launch to exit)" "$(stats <"$SCRATCH/cli")"
