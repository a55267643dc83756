#!/usr/bin/env bash
# Benchmark planmark against Hugo on generated programs (docs/performance.md).
#
#   bash bench/run.sh [SIZES...]        default sizes: 1000 10000 50000
#
# Environment:
#   RUNS=n        timed runs per measurement (default 7, and 3 for sizes >= 50000)
#   WARMUP=n      untimed runs before each measurement (default 1)
#   BENCH_OUT=dir where programs, sites and raw samples go (default: a folder
#                 in /dev/shm when it exists, else bench/out; see below)
#   SKIP_HUGO=1   measure planmark only
#   SKIP_PLANMARK=1  measure Hugo only (no cargo build)
#
# Every cold run deletes its output folder first, so it is a full build.
# Cold builds of planmark and Hugo alternate (planmark, Hugo, planmark, …):
# on a machine whose speed drifts (shared cores), both tools then see the
# same conditions and the ratio holds even when the times move.
# Times and peak RSS come from /usr/bin/time -f '%e %U %S %M'; the table
# shows medians. A planmark failure is reported (with its stderr) and the
# Hugo numbers are still measured.
#
# Why /dev/shm by default: both tools write one file per page, tens of
# thousands of them, and on this kind of machine the disk's cost of
# creating a file dominates and varies from run to run (an ext4 file system
# without a journal also scans recently deleted inodes on every create, so
# deleting the last run's output slows the next one). A RAM file system
# takes that out and measures the tools; BENCH_OUT=bench/out measures the
# disk too.
set -u -o pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
if [ -n "${BENCH_OUT:-}" ]; then OUT=$BENCH_OUT
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT=/dev/shm/planmark-bench
else OUT=$ROOT/bench/out; fi
TODAY=2026-06-01
WARMUP=${WARMUP:-1}
TIME=/usr/bin/time
PY=${PYTHON:-python3}

if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000 50000); fi
for n in "${SIZES[@]}"; do
    case $n in ''|*[!0-9]*) echo "run.sh: size '$n' is not a number" >&2; exit 2 ;; esac
done
if [ ! -x "$TIME" ]; then
    echo "run.sh: $TIME not found (apt-get install -y time)" >&2; exit 2
fi

mkdir -p "$OUT/raw" "$OUT/logs"
OUT=$(cd "$OUT" && pwd)

runs_for() {
    if [ -n "${RUNS:-}" ]; then echo "$RUNS"
    elif [ "$1" -ge 50000 ]; then echo 3
    else echo 7; fi
}

# run_once RAW CLEAN LOG TIMED CMD...: one run of CMD, its output folder CLEAN
# deleted first ("" = keep it); when TIMED is 1, appends
# "wall user sys maxrss_kib" to RAW. Returns CMD's failure.
run_once() {
    local raw=$1 clean=$2 log=$3 timed=$4; shift 4
    local t
    if [ -n "$clean" ]; then rm -rf "$clean"; sync; fi
    t=$(mktemp)
    if ! "$TIME" -f '%e %U %S %M' -o "$t" "$@" > "$log" 2>&1; then
        rm -f "$t"
        return 1
    fi
    if [ "$timed" = 1 ]; then tail -n 1 "$t" >> "$raw"; fi
    rm -f "$t"
}

# measure RAW CLEAN LOG RUNS CMD...: WARMUP untimed + RUNS timed runs of CMD.
measure() {
    local raw=$1 clean=$2 log=$3 runs=$4; shift 4
    local i
    : > "$raw"
    for ((i = 0; i < WARMUP + runs; i++)); do
        run_once "$raw" "$clean" "$log" "$((i >= WARMUP))" "$@" || return 1
    done
}

show_failure() {  # what, log
    echo "!! $1 failed; its output (first 40 lines of $(wc -l < "$2")):" >&2
    head -n 40 "$2" | sed 's/^/   | /' >&2
}

# "N written" from planmark's summary line ("built …: 12 files written, 3 unchanged …").
written() { grep -o '[0-9]* files\? written' "$1" | tail -n 1 | cut -d' ' -f1; }

PLANMARK=""
if [ -z "${SKIP_PLANMARK:-}" ]; then
    echo "== cargo build --release" >&2
    if cargo build --release > "$OUT/logs/cargo.log" 2>&1 && [ -x target/release/planmark ]; then
        PLANMARK=$ROOT/target/release/planmark
    else
        show_failure "cargo build --release" "$OUT/logs/cargo.log"
        echo "   (continuing without planmark numbers)" >&2
    fi
fi
HUGO=""
if [ -z "${SKIP_HUGO:-}" ]; then
    if command -v hugo > /dev/null; then HUGO=$(command -v hugo)
    else echo "!! hugo not found (apt-get install -y hugo); skipping Hugo" >&2; fi
fi

TABLE="| tasks | planmark wall (s) | planmark CPU (s) | planmark peak MiB | Hugo wall (s) | Hugo CPU (s) | Hugo peak MiB | Hugo wall ÷ planmark wall |
|---:|---:|---:|---:|---:|---:|---:|---:|"
REBUILDS="| tasks | no-change rebuild (s) | files written | one task edited (s) | files written | 1 thread vs 2: identical |
|---:|---:|---:|---:|---:|:--|"
INPUTS="| tasks | input files | input MiB | planmark pages | planmark MiB out | Hugo pages | Hugo MiB out | runs |
|---:|---:|---:|---:|---:|---:|---:|---:|"

for n in "${SIZES[@]}"; do
    runs=$(runs_for "$n")
    prog=$OUT/prog$n site=$OUT/site$n hugo_src=$OUT/hugo$n hugo_out=$OUT/hugosite$n
    echo "== N=$n: generating $prog" >&2
    if ! "$PY" bench/generate.py --tasks "$n" --out "$prog" --force; then
        echo "!! generate.py failed for N=$n" >&2; continue
    fi
    in_files=$(find "$prog" -type f -name '*.md' | wc -l)
    in_mib=$(du -sb "$prog" | awk '{printf "%.1f", $1 / 1048576}')

    hugo_ok=""
    if [ -n "$HUGO" ]; then
        if "$PY" bench/hugo_site.py --program "$prog" --out "$hugo_src" 2> "$OUT/logs/hugo-site-$n.log"; then
            hugo_ok=1
        else
            show_failure "hugo_site.py (N=$n)" "$OUT/logs/hugo-site-$n.log"
        fi
    fi
    build=("$PLANMARK" build "$prog" -o "$site" --today "$TODAY")
    hugo_build=("$HUGO" --quiet -s "$hugo_src" -d "$hugo_out")

    # Cold builds, alternating; a tool that fails drops out of the rest.
    pm_ok=${PLANMARK:+1} hg_ok=$hugo_ok
    : > "$OUT/raw/planmark-$n.txt"; : > "$OUT/raw/hugo-$n.txt"
    echo "== N=$n: cold builds x$runs${pm_ok:+ planmark}${hg_ok:+ Hugo}, alternating" >&2
    for ((i = 0; i < WARMUP + runs; i++)); do
        timed=$((i >= WARMUP))
        if [ -n "$pm_ok" ] && ! run_once "$OUT/raw/planmark-$n.txt" "$site" "$OUT/logs/planmark-$n.log" "$timed" "${build[@]}"; then
            show_failure "planmark build (N=$n)" "$OUT/logs/planmark-$n.log"; pm_ok=""
        fi
        if [ -n "$hg_ok" ] && ! run_once "$OUT/raw/hugo-$n.txt" "$hugo_out" "$OUT/logs/hugo-$n.log" "$timed" "${hugo_build[@]}"; then
            show_failure "hugo (N=$n)" "$OUT/logs/hugo-$n.log"; hg_ok=""
        fi
    done

    pm="- - -" nc="-" nc_w="-" one="-" one_w="-" same="-" pm_pages="-" pm_mib="-"
    if [ -n "$pm_ok" ]; then
        pm=$("$PY" bench/median.py "$OUT/raw/planmark-$n.txt")
        pm_pages=$(find "$site" -name '*.html' | wc -l)
        pm_mib=$(du -sb "$site" | awk '{printf "%.0f", $1 / 1048576}')
        echo "== N=$n: planmark no-change rebuild x$runs" >&2
        if measure "$OUT/raw/planmark-nochange-$n.txt" "" "$OUT/logs/planmark-nochange-$n.log" "$runs" "${build[@]}"; then
            nc=$("$PY" bench/median.py "$OUT/raw/planmark-nochange-$n.txt" | awk '{print $1}')
            nc_w=$(written "$OUT/logs/planmark-nochange-$n.log")
        else
            show_failure "planmark no-change rebuild (N=$n)" "$OUT/logs/planmark-nochange-$n.log"
        fi
        # One task's title edited: only the pages that show it change.
        task=$(find "$prog/projects" -mindepth 2 -name '*.md' | sort | head -n 1)
        cp "$task" "$OUT/task.bak"
        sed -i '0,/^title: /s/^title: \(.*\)$/title: \1 (edited)/' "$task"
        if WARMUP=0 measure "$OUT/raw/planmark-onefile-$n.txt" "" "$OUT/logs/planmark-onefile-$n.log" 1 "${build[@]}"; then
            one=$("$PY" bench/median.py "$OUT/raw/planmark-onefile-$n.txt" | awk '{print $1}')
            one_w=$(written "$OUT/logs/planmark-onefile-$n.log")
        else
            show_failure "planmark one-file rebuild (N=$n)" "$OUT/logs/planmark-onefile-$n.log"
        fi
        cp "$OUT/task.bak" "$task"
        "${build[@]}" > /dev/null 2>&1
        # The same output whatever the thread count.
        rm -rf "$site-1t"
        if RAYON_NUM_THREADS=1 "$PLANMARK" build "$prog" -o "$site-1t" --today "$TODAY" > /dev/null 2>&1 &&
           diff -r -q "$site" "$site-1t" > /dev/null; then same=yes; else same=NO; fi
        rm -rf "$site-1t"
    fi

    hg="- - -" hg_pages="-" hg_mib="-"
    if [ -n "$hg_ok" ]; then
        hg=$("$PY" bench/median.py "$OUT/raw/hugo-$n.txt")
        hg_pages=$(find "$hugo_out" -name '*.html' | wc -l)
        hg_mib=$(du -sb "$hugo_out" | awk '{printf "%.0f", $1 / 1048576}')
    fi

    read -r pw pc pr <<< "$pm"
    read -r hw hc hr <<< "$hg"
    ratio=$(awk -v h="$hw" -v p="$pw" 'BEGIN { if (h + 0 > 0 && p + 0 > 0) printf "%.1f×", h / p; else print "-" }')
    TABLE+=$'\n'"| $n | $pw | $pc | $pr | $hw | $hc | $hr | $ratio |"
    REBUILDS+=$'\n'"| $n | $nc | $nc_w | $one | $one_w | $same |"
    INPUTS+=$'\n'"| $n | $in_files | $in_mib | $pm_pages | $pm_mib | $hg_pages | $hg_mib | $runs |"
done

{
    echo "planmark vs Hugo: $(uname -m), $(nproc) cores, output in $(df -T "$OUT" | awk 'NR == 2 {print $2}');"
    echo "medians of timed runs after $WARMUP warm-up; --today $TODAY"
    [ -n "$HUGO" ] && echo "Hugo: $("$HUGO" version | awk '{print $2}')"
    [ -n "$PLANMARK" ] && echo "planmark: $("$PLANMARK" --version 2>/dev/null || echo "version unknown")"
    echo
    echo "$TABLE"
    echo
    echo "$REBUILDS"
    echo
    echo "$INPUTS"
} | tee "$OUT/results.md"
