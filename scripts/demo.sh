#!/usr/bin/env bash
# The demo: set up, build the digit GUI (the desktop qlite-gui and the web
# demo, a static site), then serve the web demo on 127.0.0.1 and print its URL.
# QLITE_DEMO_PORT picks the port (default 8080); Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh native
bash scripts/build.sh gui-web

site=build/gui-web/web/demo
echo
echo "desktop: build/native/gui/qlite-gui   (drop a .tflite on its window to load it)"
echo "web:     $site/ is a static site; any static host serves it"
exec node web/demo/serve.mjs "$site" "${QLITE_DEMO_PORT:-8080}"
