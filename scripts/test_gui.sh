#!/usr/bin/env bash
# The digit GUI's end-to-end tests (scripts/test.sh runs them after building
# the native and gui-web presets):
#  - the desktop build under Xvfb: qlite-gui --selftest draws a "1" and a "7"
#    with scripted mouse input, checks both models and prints frame times;
#    then tests/gui/desktop_real_mouse.sh draws them with xdotool (X events);
#  - the web demo in Chromium (Playwright): tests/gui/web_demo.test.mjs.
# A missing piece is skipped with the reason, or fails the run when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=build/test-artifacts
mkdir -p "$artifacts"

missing() {
  if [ "${CI:-}" = true ]; then
    echo "test-gui: $1, and CI=true requires the GUI tests" >&2
    exit 1
  fi
  echo "test-gui: SKIPPED: $1"
}

gui=${QLITE_GUI:-build/native/gui/qlite-gui}  # QLITE_GUI / QLITE_DEMO_DIR: other builds
echo "== qlite-gui --selftest under Xvfb"
if [ ! -x "$gui" ]; then
  missing "$gui is not built (scripts/build.sh native; needs libsdl2-dev and libimgui-dev)"
elif ! command -v xvfb-run >/dev/null; then
  missing "xvfb-run is missing (apt-get install xvfb xauth)"
else
  xvfb-run -a -s "-screen 0 1024x768x24" "$gui" --selftest --screenshot "$artifacts/desktop.ppm"
  if command -v convert >/dev/null; then
    convert "$artifacts/desktop.ppm" "$artifacts/desktop.png" && rm "$artifacts/desktop.ppm"
  fi
  echo "== qlite-gui with a real (XTest) mouse under Xvfb"
  if command -v xdotool >/dev/null; then
    xvfb-run -a -s "-screen 0 1024x768x24" tests/gui/desktop_real_mouse.sh "$gui"
  else
    missing "xdotool is missing (apt-get install xdotool)"
  fi
fi

echo "== web demo in Chromium"
node --test tests/gui/web_demo.test.mjs
