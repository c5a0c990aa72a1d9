#!/usr/bin/env bash
# qlite-gui driven by a real mouse: inside an X server (Xvfb), xdotool presses
# and drags the X pointer (XTest) along the scripted "1" and "7" of
# test_strokes.h (printed by qlite-gui --test-strokes), so the drawing goes
# through X events, SDL and ImGui's SDL backend like a person's. The app's
# state (--state-file) must show each drawing classified by both models.
# Usage: xvfb-run -a -s "-screen 0 1024x768x24" tests/gui/desktop_real_mouse.sh QLITE_GUI
set -euo pipefail
gui=$1
work=$(mktemp -d)
state=$work/state.json
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# Evaluates a JS expression over the state `s`.
query() {
  node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           console.log(eval(process.argv[2]))' "$state" "$1"
}
wait_for() {  # $1 = JS condition over s, $2 = what we wait for
  for _ in $(seq 1 300); do
    if [ -s "$state" ] && [ "$(query "$1")" = true ]; then return 0; fi
    sleep 0.2
  done
  echo "real-mouse: timed out waiting for $2; state: $(cat "$state" 2>/dev/null)" >&2
  exit 1
}

for digit in 1 7; do
  rm -f "$state"
  "$gui" --state-file "$state" &
  pid=$!
  window=$(xdotool search --sync --name "qlite digits" | head -n 1)
  wait_for 's.busy === "" && s.canvas.w > 0' "qlite-gui to load its models"
  eval "$(xdotool getwindowgeometry --shell "$window")"  # X, Y: the window's screen position
  read -r canvas_x canvas_y canvas_w < <(query '[s.canvas.x, s.canvas.y, s.canvas.w].map(Math.round).join(" ")')

  strokes=0
  down=0
  px=0
  py=0
  while IFS= read -r line; do
    if [ -z "$line" ]; then  # end of a stroke
      if [ "$down" = 1 ]; then xdotool mouseup 1; sleep 0.1; strokes=$((strokes + 1)); fi
      down=0
      continue
    fi
    read -r x y < <(echo "$line" | awk '{ printf "%d %d\n", $1 + 0.5, $2 + 0.5 }')
    x=$((X + canvas_x + x))
    y=$((Y + canvas_y + y))
    if [ "$down" = 0 ]; then
      xdotool mousemove "$x" "$y"
      sleep 0.1
      xdotool mousedown 1
      down=1
    else
      # While the button is held, SDL follows relative motion (absolute warps are not seen).
      xdotool mousemove_relative -- $((x - px)) $((y - py))
    fi
    px=$x
    py=$y
    sleep 0.03  # about one frame per position, as a hand moves
  done < <("$gui" --test-strokes "$digit" "$canvas_w")

  wait_for "s.busy === \"\" && s.strokes === $strokes && s.float.top1 !== null" \
    "the drawn \"$digit\" to be classified"
  result=$(query '`float ${s.float.top1} (${s.float.confidence}), quant ${s.quant.top1} (${s.quant.confidence})`')
  echo "real-mouse: \"$digit\" drawn with xdotool ($strokes strokes): $result"
  if [ "$(query "s.float.top1 === $digit && s.quant.top1 === $digit")" != true ]; then
    echo "real-mouse: FAILED: \"$digit\" was not recognized by both models; state: $(cat "$state")" >&2
    exit 1
  fi
  kill -TERM "$pid"  # SDL turns SIGTERM into SDL_QUIT
  wait "$pid" || true
  pid=""
done
echo "real-mouse: passed"
