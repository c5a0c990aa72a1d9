#!/usr/bin/env bash
# The digit GUI's third-party sources for the web build (idempotent, cached in
# build/third_party/src; called by scripts/setup.sh, run as root):
#   build/third_party/src/imgui-*     Dear ImGui (Debian's source package)
#   build/third_party/src/libsdl2-*   SDL2 (Debian's source package)
# gui/deps.cmake compiles both with Emscripten inside the gui-web build (its
# object files are the cache). Emscripten's own SDL port cannot be used: its
# cache is frozen on Debian. The desktop build uses the -dev packages instead.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$PWD/build/third_party/src"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

fetch_source() {  # $1 = source package, $2 = glob of its unpacked directory
  compgen -G "$src/$2/" >/dev/null && return 0
  # `apt-get source` needs a deb-src entry: mirror the existing Debian entries.
  if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "setup-gui: adding deb-src entries next to /etc/apt/sources.list.d/debian.sources"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  echo "setup-gui: fetching the $1 source package into $src"
  mkdir -p "$src"
  (cd "$src" && apt-get source -qq "$1")
}
fetch_source imgui 'imgui-*'
fetch_source libsdl2 'libsdl2-*'
echo "setup-gui: ImGui and SDL2 sources ready in $src"
