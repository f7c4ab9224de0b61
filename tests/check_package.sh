#!/bin/sh
# Builds the Debian package of a build folder (preset `package`) and checks it as issues #7 and #33 ask: its
# metadata, its files, that the unpacked tunebench-cli runs (--version and a small train), that its programs and
# the baseline engine hold no instruction beyond the x86-64 baseline (the engine's x86-64-v3 and -v4 builds in
# glibc-hwcaps/ hold them), and that it runs on emulated CPUs without AVX (qemu-user's Nehalem) and with AVX2
# (Haswell), each loading the engine built for it. Also validates the desktop file and the AppStream metadata.
# Usage: check_package.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

desktop-file-validate "$source/packaging/io.github.tunebench.Tunebench.desktop"
appstreamcli validate --no-net "$source/packaging/io.github.tunebench.Tunebench.metainfo.xml"

cd "$build"
cpack -G DEB -B "$scratch/out" > "$scratch/cpack.log" || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/tunebench_*_amd64.deb)
dpkg-deb -I "$deb" > "$scratch/info"
cat "$scratch/info"
grep -q '^ Package: tunebench$' "$scratch/info"
grep -q '^ Section: science$' "$scratch/info"
grep -q '^ Depends: .*libqt6widgets6 (>= 6.4)' "$scratch/info"
grep -q '^ Depends: .*libxgboost0' "$scratch/info"

dpkg-deb -x "$deb" "$scratch/root"
root=$scratch/root/usr
for file in bin/tunebench bin/tunebench-cli libexec/tunebench/tunebench-pdf share/man/man1/tunebench-cli.1.gz \
    share/applications/io.github.tunebench.Tunebench.desktop \
    share/metainfo/io.github.tunebench.Tunebench.metainfo.xml share/mime/packages/tunebench.xml \
    share/icons/hicolor/scalable/apps/io.github.tunebench.Tunebench.svg \
    share/icons/hicolor/48x48/apps/io.github.tunebench.Tunebench.png \
    share/icons/hicolor/256x256/apps/io.github.tunebench.Tunebench.png share/doc/tunebench/user-guide.md \
    lib/tunebench/libtunebench_core.so lib/tunebench/glibc-hwcaps/x86-64-v3/libtunebench_core.so \
    lib/tunebench/glibc-hwcaps/x86-64-v4/libtunebench_core.so; do
    test -s "$root/$file" || { echo "missing from the package: /usr/$file"; exit 1; }
done
# Every library the programs load comes from a package the .deb depends on (as dpkg-shlibdeps would say).
depends=$(sed -n 's/^ Depends: //p' "$scratch/info")
for program in "$root/bin/tunebench" "$root/bin/tunebench-cli" "$root/libexec/tunebench/tunebench-pdf"; do
    for library in $(objdump -p "$program" | awk '/NEEDED/ { print $2 }'); do
        [ -e "$root/lib/tunebench/$library" ] && continue # the package's own engine
        path=$(ldconfig -p | awk -v lib="$library" '$1 == lib && /x86-64/ { print $NF; exit }')
        [ -n "$path" ] || { echo "$library (needed by $program) is not installed"; exit 1; }
        # By the real file's name: with merged /usr, dpkg may record it under /lib or /usr/lib.
        real=$(readlink -f "$path" | sed 's|^/usr||')
        owner=$(dpkg -S "*$real" 2>/dev/null | head -1 | cut -d: -f1)
        [ -n "$owner" ] || { echo "no package owns $path"; exit 1; }
        case ", $depends," in
        *", $owner "* | *", $owner,"*) ;;
        *) echo "$(basename "$program") needs $library from $owner, which Depends does not list"; exit 1 ;;
        esac
    done
done
"$root/bin/tunebench-cli" --version | grep -q "0.1.0"
"$root/bin/tunebench-cli" train "$source/tests/data/iris.arff" --algorithm knn --json > "$scratch/train.json"
grep -q '"accuracy"' "$scratch/train.json"
# A PDF report from the unpacked CLI: it finds its renderer in ../libexec/tunebench, as installed.
"$root/bin/tunebench-cli" train "$source/tests/data/iris.arff" --algorithm knn --project "$scratch/p.tbproj" --json \
    > "$scratch/recorded.json"
experiment=$(sed -n 's/.*"experiment": "\([^"]*\)".*/\1/p' "$scratch/recorded.json")
[ -n "$experiment" ] || { echo "train --project named no experiment"; cat "$scratch/recorded.json"; exit 1; }
"$root/bin/tunebench-cli" report "$experiment" --project "$scratch/p.tbproj" --no-evaluation --out "$scratch/r.pdf"
head -c 5 "$scratch/r.pdf" | grep -q '%PDF-' || { echo "the packaged CLI wrote no PDF"; exit 1; }
gzip -dc "$root/share/man/man1/tunebench-cli.1.gz" | grep -q '^\.TH TUNEBENCH-CLI 1'

# Code for every x86-64 CPU: the programs and the baseline engine hold no instruction beyond the baseline, the
# engine's other builds do (which proves the check sees them).
python3 "$source/tests/check_baseline_code.py" "$root/bin/tunebench" "$root/bin/tunebench-cli" \
    "$root/libexec/tunebench/tunebench-pdf" "$root/lib/tunebench/libtunebench_core.so"
python3 "$source/tests/check_baseline_code.py" --expect-beyond \
    "$root/lib/tunebench/glibc-hwcaps/x86-64-v3/libtunebench_core.so" \
    "$root/lib/tunebench/glibc-hwcaps/x86-64-v4/libtunebench_core.so"
# On this CPU the loader picks the best engine it runs.
native=x86-64
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && native=x86-64-v3
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo &&
    grep -qw avx512dq /proc/cpuinfo && native=x86-64-v4
"$root/bin/tunebench-cli" --version | grep -q "(engine compiled for $native)" ||
    { echo "expected the $native engine here:"; "$root/bin/tunebench-cli" --version; exit 1; }
# Emulated CPUs: a Nehalem (SSE4.2, no AVX) runs the baseline engine, a Haswell (AVX2, FMA) the x86-64-v3 one;
# any instruction the emulated CPU lacks would stop the program with SIGILL. Each trains the hot paths: the MLP's
# matrix products, kNN's distances, a forest, a CSV read.
for cpu in Nehalem:x86-64 Haswell:x86-64-v3; do
    model=${cpu%%:*}
    level=${cpu##*:}
    emulate="qemu-x86_64 -cpu $model"
    $emulate "$root/bin/tunebench-cli" --version 2> "$scratch/qemu.log" | grep -q "(engine compiled for $level)" ||
        { echo "a $model should run the $level engine"; cat "$scratch/qemu.log"; exit 1; }
    for algorithm in mlp knn forest; do
        $emulate "$root/bin/tunebench-cli" train "$source/tests/data/breast_cancer.csv" --algorithm $algorithm \
            --folds 3 --json > "$scratch/emulated.json" 2> "$scratch/qemu.log" ||
            { echo "$algorithm failed on an emulated $model"; cat "$scratch/qemu.log"; exit 1; }
        python3 -c 'import json, sys
accuracy = json.load(open(sys.argv[1]))["metrics"]["accuracy"]["mean"]
assert accuracy > 0.9, accuracy
print(sys.argv[2], sys.argv[3], "accuracy", round(accuracy, 4))' "$scratch/emulated.json" "$model" "$algorithm"
    done
done
echo "package ok: $(basename "$deb")"
