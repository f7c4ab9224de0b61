#!/bin/sh
# Several objectives and constraints through the external-command path (tunebench-cli tune running tb_testfunction as
# the training script): median hypervolume regret on ZDT1, ZDT2 (6 variables) and DTLZ2 (3 objectives, 6 variables)
# and median feasible simple regret on constrained Branin, at 50/100/200 trials, beside Debian's Optuna in the same
# run (../shared/peers/mo_bench/optuna_mo.py when it is there).
#   tests/bench/run_multiobjective_bench.sh [BUILD_DIR] [SEEDS] [STRATEGIES] [PROBLEMS]
set -eu
BUILD=${1:-build/release}
SEEDS=${2:-10}
STRATEGIES=${3:-bayesian tpe nsga2 random}
PROBLEMS=${4:-zdt1 zdt2 dtlz2 constrained_branin}
HERE=$(dirname "$(realpath "$0")")
CLI=$(realpath "$BUILD/app/tunebench-cli")
FN=$(realpath "$BUILD/tests/tb_testfunction")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
unit='{"type": "continuous", "min": 0, "max": 1}'
for problem in $PROBLEMS; do
    case $problem in
    zdt1 | zdt2 | dtlz2)
        ranges="\"x1\": $unit, \"x2\": $unit, \"x3\": $unit, \"x4\": $unit, \"x5\": $unit, \"x6\": $unit"
        args='"{x1}", "{x2}", "{x3}", "{x4}", "{x5}", "{x6}"'
        metrics='{"name": "f1", "regex": "f1=(\\S+)"}, {"name": "f2", "regex": "f2=(\\S+)"}'
        objectives='"objectives": [{"metric": "f1", "goal": "minimize"}, {"metric": "f2", "goal": "minimize"}]'
        if [ "$problem" = dtlz2 ]; then
            metrics="$metrics, "'{"name": "f3", "regex": "f3=(\\S+)"}'
            objectives='"objectives": [{"metric": "f1", "goal": "minimize"}, {"metric": "f2", "goal": "minimize"}, {"metric": "f3", "goal": "minimize"}]'
        fi
        ;;
    constrained_branin)
        ranges='"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}'
        args='"{x1}", "{x2}"'
        metrics='{"name": "value", "regex": "value=(\\S+)"}, {"name": "c", "regex": "c=(\\S+)"}'
        objectives='"objective": {"metric": "value", "goal": "minimize"}, "constraints": [{"metric": "c", "<=": 0}]'
        ;;
    esac
    for strategy in $STRATEGIES; do
        start=$(date +%s.%N)
        seed=0
        while [ $seed -lt "$SEEDS" ]; do
            cat > "$WORK/spec.json" <<SPEC
{"name": "$problem-$strategy-$seed",
 "algorithm": {"command": ["$FN", "${problem%_constrained}", $args], "metrics": [$metrics]},
 "ranges": {$ranges}, $objectives,
 "strategy": "$strategy", "limits": {"max_trials": 200, "max_parallel": 1}, "seed": $seed}
SPEC
            sed -i "s/\"constrained_branin\", /\"branin_constrained\", /" "$WORK/spec.json"
            "$CLI" tune "$WORK/spec.json" --project "$WORK/bench.tbproj" --json > /dev/null 2> "$WORK/stderr" || { cat "$WORK/stderr" "$WORK/spec.json"; exit 1; }
            "$CLI" runs "$problem-$strategy-$seed" --project "$WORK/bench.tbproj" --json > "$WORK/$problem-$strategy-$seed.json"
            seed=$((seed + 1))
        done
        end=$(date +%s.%N)
        /usr/bin/python3 "$HERE/mo_regret.py" "$WORK" "$problem" "$strategy" "$SEEDS" | sed "s/}\$/, \"seconds\": $(echo "$end - $start" | bc)}/"
    done
done
PEER="$HERE/../../../shared/peers/mo_bench/optuna_mo.py"
if [ "${SKIP_OPTUNA:-}" = "" ] && [ -f "$PEER" ]; then
    /usr/bin/python3 "$PEER" "$SEEDS" "$(echo $PROBLEMS | tr ' ' ',')"
fi
