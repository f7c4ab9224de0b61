#!/bin/sh
# tunebench-cli is also the worker Slurm starts on compute nodes, which rarely have a display stack: it must load
# Qt Core and the engine's own libraries only (a report's PDF is drawn by tunebench-pdf). Fails naming any GUI,
# X11, OpenGL, font or D-Bus library that ldd finds.  Usage: check_headless.sh PROGRAM
set -eu
program=$1
libraries=$(ldd "$program" | awk '{ print $1 }')
echo "$program loads $(echo "$libraries" | wc -l) libraries"
forbidden=$(echo "$libraries" | grep -E '^lib(Qt6(Gui|Widgets|Svg|DBus|Charts|OpenGL|PrintSupport)|X11|xcb|GL|GLX|EGL|OpenGL|fontconfig|freetype|dbus|xkbcommon|wayland)[.-]' || true)
if [ -n "$forbidden" ]; then
    echo "$program is not headless; it loads:"
    echo "$forbidden"
    exit 1
fi
echo "headless: no GUI, X11, OpenGL, font or D-Bus library"
