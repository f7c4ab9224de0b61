#!/bin/sh
# Simple regret on Branin and Hartmann-6 through the external-command path (tunebench-cli tune running
# tb_testfunction as the training script), beside Debian's Optuna (TPE, random) in the same run.
#   tests/bench/run_tuning_bench.sh [BUILD_DIR] [SEEDS]
set -eu
BUILD=${1:-build/release}
SEEDS=${2:-20}
CLI=$(realpath "$BUILD/app/tunebench-cli")
FN=$(realpath "$BUILD/tests/tb_testfunction")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for function in branin hartmann6; do
    if [ $function = branin ]; then
        ranges='"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}'
        args='"{x1}", "{x2}"'
    else
        ranges='"x1": {"type": "continuous", "min": 0, "max": 1}, "x2": {"type": "continuous", "min": 0, "max": 1}, "x3": {"type": "continuous", "min": 0, "max": 1}, "x4": {"type": "continuous", "min": 0, "max": 1}, "x5": {"type": "continuous", "min": 0, "max": 1}, "x6": {"type": "continuous", "min": 0, "max": 1}'
        args='"{x1}", "{x2}", "{x3}", "{x4}", "{x5}", "{x6}"'
    fi
    for strategy in bayesian tpe random; do
        start=$(date +%s.%N)
        seed=0
        while [ $seed -lt "$SEEDS" ]; do
            cat > "$WORK/spec.json" <<SPEC
{"name": "$function-$strategy-$seed",
 "algorithm": {"command": ["$FN", "$function", $args], "metrics": [{"name": "value", "regex": "value=(\\\\S+)"}]},
 "ranges": {$ranges},
 "objective": {"metric": "value", "goal": "minimize"},
 "strategy": "$strategy", "limits": {"max_trials": 100, "max_parallel": 1}, "seed": $seed}
SPEC
            "$CLI" tune "$WORK/spec.json" --project "$WORK/bench.tbproj" --json > /dev/null 2> "$WORK/stderr" || { cat "$WORK/stderr" "$WORK/spec.json"; exit 1; }
            "$CLI" runs "$function-$strategy-$seed" --project "$WORK/bench.tbproj" --json > "$WORK/$function-$strategy-$seed.json"
            seed=$((seed + 1))
        done
        end=$(date +%s.%N)
        python3 - "$WORK" "$function" "$strategy" "$SEEDS" "$start" "$end" <<'PY'
import json, statistics, sys
work, function, strategy, seeds, start, end = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
minimum = 0.397887357729738 if function == "branin" else -3.32236801141551
cells = []
for budget in (30, 50, 100):
    regrets = []
    for seed in range(seeds):
        trials = json.load(open(f"{work}/{function}-{strategy}-{seed}.json"))["trials"]
        values = [t["objective"] for t in trials if t["id"] <= budget and t["objective"] is not None]
        regrets.append(min(values) - minimum)
    q = statistics.quantiles(regrets, n=4)
    cells.append(f"{statistics.median(regrets):.3g} [{q[0]:.3g}, {q[2]:.3g}]")
print(f"| {function} | tunebench {strategy} | " + " | ".join(cells) + f" | {float(end) - float(start):.1f} |")
PY
    done
done
/usr/bin/python3 "$(dirname "$0")/optuna_regret.py" "$SEEDS"
