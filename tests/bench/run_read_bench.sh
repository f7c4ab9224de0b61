#!/usr/bin/env bash
# CSV parse benchmark: Tunebench's reader against pandas.read_csv on the same file, same run, same machine.
#   tests/bench/run_read_bench.sh [BUILD_DIR] [DATA.csv.gz] [RUNS]
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
gzip -dc "$source" > "$csv"
echo "file: $csv ($(du -m "$csv" | cut -f1) MB), $runs runs each, alternating"
cat "$csv" > /dev/null # warm the page cache for both sides alike

for i in $(seq "$runs"); do
    "$bench" "$csv" | tee -a "$work/tunebench.jsonl"
    $python "$root/tests/bench/pandas_read.py" "$csv" | tee -a "$work/pandas.jsonl"
done

$python - "$work/tunebench.jsonl" "$work/pandas.jsonl" <<'PY'
import json, statistics, sys
def load(path):
    rows = [json.loads(line) for line in open(path)]
    return {k: statistics.median(r[k] for r in rows) for k in ("seconds", "mb_per_s", "peak_rss_mb")}, rows[0]["tool"]
ours, _ = load(sys.argv[1])
theirs, tool = load(sys.argv[2])
print()
print("| reader | median s | MB/s | peak RSS MB |")
print("|---|---|---|---|")
print(f"| tunebench | {ours['seconds']:.3f} | {ours['mb_per_s']:.0f} | {ours['peak_rss_mb']:.0f} |")
print(f"| {tool} | {theirs['seconds']:.3f} | {theirs['mb_per_s']:.0f} | {theirs['peak_rss_mb']:.0f} |")
print()
print(f"throughput ratio (tunebench / pandas): {ours['mb_per_s'] / theirs['mb_per_s']:.2f}x  (goal >= 2)")
print(f"peak memory ratio (tunebench / pandas): {ours['peak_rss_mb'] / theirs['peak_rss_mb']:.2f}  (goal <= 0.5)")
PY
