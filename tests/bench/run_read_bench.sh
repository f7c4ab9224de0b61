#!/usr/bin/env bash
# CSV parse benchmark: Tunebench's reader (one thread, and every core) against pandas.read_csv and, when
# Debian's r-cran-data.table is installed, data.table::fread on one and two threads: the same file, same run,
# same machine, each reader in turn.
#   tests/bench/run_read_bench.sh [BUILD_DIR] [DATA.csv[.gz]] [RUNS]
# Needs Debian's python3-pandas. Prints each run as JSON, then the medians and the ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
source=${2:-$root/../shared/data/synth_100k.csv.gz}
runs=${3:-5}
bench=$build/tests/bench/bench_read
[ -x "$bench" ] || { echo "build $bench first (cmake --build --preset release)" >&2; exit 1; }
python=/usr/bin/python3
$python -c 'import pandas' 2>/dev/null || { echo "needs python3-pandas (apt-get install python3-pandas)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv=$work/$(basename "${source%.gz}")
gzip -dcf "$source" > "$csv"
echo "file: $csv ($(du -m "$csv" | cut -f1) MB), $runs runs each, alternating"
cat "$csv" > /dev/null # warm the page cache for both sides alike

fread=false
command -v Rscript > /dev/null && Rscript -e 'library(data.table)' > /dev/null 2>&1 && fread=true
for i in $(seq "$runs"); do
    "$bench" "$csv" --threads 1 | tee -a "$work/tunebench-1.jsonl"
    "$bench" "$csv" | tee -a "$work/tunebench.jsonl"
    $python "$root/tests/bench/pandas_read.py" "$csv" | tee -a "$work/pandas.jsonl"
    if $fread; then
        Rscript "$root/tests/bench/fread_read.R" "$csv" 1 | tee -a "$work/fread-1.jsonl"
        Rscript "$root/tests/bench/fread_read.R" "$csv" 2 | tee -a "$work/fread-2.jsonl"
    fi
done

$python - "$work" <<'PY'
import json, os, statistics, sys
def load(name):
    path = os.path.join(sys.argv[1], name + ".jsonl")
    if not os.path.exists(path):
        return None
    rows = [json.loads(line) for line in open(path)]
    return {k: statistics.median(r[k] for r in rows) for k in ("seconds", "mb_per_s", "peak_rss_mb")}
readers = [("tunebench, every core", "tunebench"), ("tunebench, one thread", "tunebench-1"),
           ("pandas read_csv", "pandas"), ("data.table fread, one thread", "fread-1"),
           ("data.table fread, two threads", "fread-2")]
found = {name: load(name) for _, name in readers}
print()
print("| reader | median s | MB/s | peak RSS MB |")
print("|---|---|---|---|")
for label, name in readers:
    if found[name]:
        r = found[name]
        print(f"| {label} | {r['seconds']:.3f} | {r['mb_per_s']:.0f} | {r['peak_rss_mb']:.0f} |")
ours, pandas = found["tunebench"], found["pandas"]
print()
print(f"throughput ratio (tunebench / pandas): {ours['mb_per_s'] / pandas['mb_per_s']:.2f}x")
print(f"peak memory ratio (tunebench / pandas): {ours['peak_rss_mb'] / pandas['peak_rss_mb']:.2f}  (goal <= 0.5)")
if found["fread-2"]:
    print(f"speed ratio (tunebench / fread on two threads): {found['fread-2']['seconds'] / ours['seconds']:.2f}x  (goal >= 1.5)")
PY
