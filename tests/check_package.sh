#!/bin/sh
# Builds the Debian package of a build folder and checks it as issue #7 asks: its metadata, its files, and
# that the unpacked tunebench-cli runs (--version and a small train). Also validates the desktop file and
# the AppStream metadata.  Usage: check_package.sh BUILD_DIR SOURCE_DIR
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
    share/icons/hicolor/256x256/apps/io.github.tunebench.Tunebench.png share/doc/tunebench/user-guide.md; do
    test -s "$root/$file" || { echo "missing from the package: /usr/$file"; exit 1; }
done
# Every library the programs load comes from a package the .deb depends on (as dpkg-shlibdeps would say).
depends=$(sed -n 's/^ Depends: //p' "$scratch/info")
for program in "$root/bin/tunebench" "$root/bin/tunebench-cli" "$root/libexec/tunebench/tunebench-pdf"; do
    for library in $(objdump -p "$program" | awk '/NEEDED/ { print $2 }'); do
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
echo "package ok: $(basename "$deb")"
