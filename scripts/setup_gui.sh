#!/usr/bin/env bash
# The digit GUI's third-party sources and the wasm build of SDL2 (idempotent,
# cached under build/third_party; called by scripts/setup.sh, run as root).
#   build/third_party/src/imgui-1.86+ds      Dear ImGui (compiled by gui/CMakeLists.txt)
#   build/third_party/src/libsdl2-*          SDL2 sources
#   build/third_party/sdl2-wasm              SDL2 built with Emscripten (lib/libSDL2.a)
# Emscripten's own SDL port cannot be used: its cache is frozen on Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
third_party="$PWD/build/third_party"
src="$third_party/src"
prefix="$third_party/sdl2-wasm"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# `apt-get source` needs a deb-src entry: mirror the existing Debian entries.
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "setup-gui: adding deb-src entries next to /etc/apt/sources.list.d/debian.sources"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
    $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
  $SUDO apt-get update -qq
fi

mkdir -p "$src"
fetch_source() {  # $1 = source package, $2 = glob of its unpacked directory
  if ! compgen -G "$src/$2/" >/dev/null; then
    echo "setup-gui: fetching the $1 source package"
    (cd "$src" && apt-get source -qq "$1")
  fi
}
fetch_source imgui 'imgui-*'
fetch_source libsdl2 'libsdl2-*'

if [ -f "$prefix/lib/libSDL2.a" ]; then
  echo "setup-gui: SDL2 for wasm ready ($prefix)"
  exit 0
fi
sdl_src=$(compgen -G "$src/libsdl2-*/" | head -n 1)
sdl_build="$third_party/sdl2-wasm-build"
echo "setup-gui: building SDL2 for wasm from $sdl_src (several minutes, once)"
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$sdl_src" -B "$sdl_build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$sdl_build" -j "$(nproc)"
cmake --install "$sdl_build" >/dev/null
rm -rf "$sdl_build"
echo "setup-gui: SDL2 for wasm installed in $prefix"
