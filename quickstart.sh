#!/usr/bin/env bash
# Tunebench quick start on Debian 12.
#   ./quickstart.sh         install what is missing, build, start Tunebench on the demo project
#                           (with no display: run the demo through tunebench-cli and say where the results are)
#   ./quickstart.sh test    install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-run}
case "$mode" in
    run | test) ;;
    *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac

# Everything the build, the app and the tests need, all from Debian 12's archive.
packages=(g++ cmake ninja-build ccache
          qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libgl-dev qt6-qpa-plugins
          libeigen3-dev libsqlite3-dev libxgboost-dev zlib1g-dev libnlopt-dev libboost-dev
          fonts-dejavu-core)
if [ "$mode" = test ]; then
    packages+=(clang libclang-rt-14-dev clang-format # libFuzzer smoke runs, style check
               desktop-file-utils appstream # the package check: desktop file and AppStream validation
               qemu-user # the package check: its programs run on emulated CPUs without AVX
               poppler-utils # the PDF report test reads its text with pdftotext
               python3 # the function-size check (tests/check_function_size.py)
               slurmctld slurmd slurm-client munge) # a real single-node Slurm for the cluster executor's test
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    install=(apt-get install -y --no-install-recommends "${missing[@]}")
    if [ "$(id -u)" -ne 0 ]; then
        echo "Tunebench needs these Debian packages. Install them as root, then run this again:" >&2
        echo "  sudo apt-get update && sudo ${install[*]}" >&2
        exit 1
    fi
    echo "==> Installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${install[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

echo "==> Building (build/release)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

if [ "$mode" = run ]; then
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        echo "==> Starting Tunebench on the demo project"
        exec build/release/app/tunebench --demo "$PWD/build/demo"
    fi
    echo "==> No display: running the demo headless with tunebench-cli"
    build/release/app/tunebench-cli demo --out build/demo
    echo "Done. The demo project and its results are in $PWD/build/demo"
    exit 0
fi

echo "==> Running the test suite"
status=0
ctest --preset release --label-exclude bench || status=$?

echo "==> The Debian package (build/package: every x86-64 CPU, the engine also for x86-64-v3 and -v4)"
cmake --preset package >/dev/null
cmake --build --preset package -j "$jobs"
ctest --preset package || status=$?

echo "==> The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan --label-exclude "bench|packaging|style" || status=$?

echo "==> The scheduler, store and threading tests under ThreadSanitizer (build/tsan)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs" --target tst_projectstore tst_tuner tst_uiparts tb_testfunction
ctest --preset tsan -R "^(tst_projectstore|tst_tuner|tst_uiparts)$" || status=$?

echo "==> Building the libFuzzer targets (build/fuzz, clang) and running each briefly"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
ctest --test-dir build/fuzz --output-on-failure -L fuzz || status=$?
exit $status
