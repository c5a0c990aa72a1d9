#include "gui/platform/selftest.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "gui/app/test_strokes.h"

namespace qlite::gui {
namespace {

constexpr double kFrameBudgetMs = 16.0;
constexpr float kMaxStepPx = 6.0f;     // screen px between two scripted mouse positions
constexpr double kSettleSeconds = 60;  // model loads / inference before giving up

// The numbers (and booleans as 0/1) of StateJson() by dotted path, e.g.
// "float.top1", "canvas.w", "float.probs.3". Enough JSON for our own output.
class FlatJson {
 public:
  explicit FlatJson(const std::string& text) : text_(text) {
    ok_ = Value("") && (Skip(), pos_ == text_.size());
  }
  bool ok() const { return ok_; }
  bool Has(const std::string& path) const { return numbers_.count(path) != 0; }
  double Get(const std::string& path) const {
    auto it = numbers_.find(path);
    return it == numbers_.end() ? NAN : it->second;
  }
  std::string GetString(const std::string& path) const {
    auto it = strings_.find(path);
    return it == strings_.end() ? "" : it->second;
  }

 private:
  void Skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    out->clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') ++pos_;  // escapes only matter for skipping
      if (pos_ < text_.size()) out->push_back(text_[pos_++]);
    }
    return Eat('"');
  }
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  bool Value(const std::string& path) {
    Skip();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      if (Eat('}')) return true;
      do {
        std::string key;
        if (!String(&key) || !Eat(':') || !Value(Join(path, key))) return false;
      } while (Eat(','));
      return Eat('}');
    }
    if (c == '[') {
      ++pos_;
      if (Eat(']')) return true;
      int index = 0;
      do {
        if (!Value(Join(path, std::to_string(index++)))) return false;
      } while (Eat(','));
      return Eat(']');
    }
    if (c == '"') return String(&strings_[path]);
    for (const char* word : {"true", "false", "null"}) {
      const std::string w = word;
      if (text_.compare(pos_, w.size(), w) == 0) {
        pos_ += w.size();
        if (w != "null") numbers_[path] = w == "true" ? 1.0 : 0.0;
        return true;
      }
    }
    char* end = nullptr;
    const double number = std::strtod(text_.c_str() + pos_, &end);
    if (end == text_.c_str() + pos_) return false;
    pos_ = static_cast<size_t>(end - text_.c_str());
    numbers_[path] = number;
    return true;
  }

  const std::string& text_;
  size_t pos_ = 0;
  bool ok_ = false;
  std::map<std::string, double> numbers_;
  std::map<std::string, std::string> strings_;
};

struct FrameStats {
  std::vector<double> wall, process, thread;
  void Add(const FrameTime& t) {
    wall.push_back(t.wall_ms);
    process.push_back(t.process_ms);
    thread.push_back(t.thread_ms);
  }
  static double Max(const std::vector<double>& ms) {
    return ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end());
  }
  static double Mean(const std::vector<double>& ms) {
    double sum = 0;
    for (double v : ms) sum += v;
    return ms.empty() ? 0.0 : sum / static_cast<double>(ms.size());
  }
};

class Selftest {
 public:
  Selftest(DemoApp& app, const FrameRunner& run_frame) : app_(app), run_frame_(run_frame) {}

  // Runs frames (mouse up) until the app is idle and shows its canvas.
  bool Settle(const char* what) {
    const auto start = std::chrono::steady_clock::now();
    for (int frame = 0;; ++frame) {
      run_frame_(idle_mouse_);
      const FlatJson state(app_.StateJson());
      if (!state.ok()) {
        std::fprintf(stderr, "selftest: StateJson() is not valid JSON: %s\n",
                     app_.StateJson().c_str());
        return false;
      }
      if (frame >= 2 && state.GetString("busy").empty() && state.Get("canvas.w") > 0) return true;
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      if (elapsed.count() > kSettleSeconds) {
        std::fprintf(stderr, "selftest: still busy (\"%s\") or no canvas after %.0f s %s\n",
                     state.GetString("busy").c_str(), kSettleSeconds, what);
        return false;
      }
    }
  }

  // Drags the mouse along each stroke over the canvas, as a person would.
  // `strokes` are in screen px relative to the canvas' top-left corner.
  void Draw(const std::vector<Polyline>& strokes) {
    const FlatJson state(app_.StateJson());
    const float x0 = static_cast<float>(state.Get("canvas.x"));
    const float y0 = static_cast<float>(state.Get("canvas.y"));
    for (const Polyline& stroke : strokes) {
      if (stroke.empty()) continue;
      ScriptedMouse mouse{x0 + stroke[0].x, y0 + stroke[0].y, false};
      drawing_.Add(run_frame_(mouse));  // hover first: ImGui presses what is under the mouse
      mouse.down = true;
      drawing_.Add(run_frame_(mouse));
      for (size_t i = 1; i < stroke.size(); ++i) {
        const float tx = x0 + stroke[i].x, ty = y0 + stroke[i].y;
        const int steps = std::max(
            1, static_cast<int>(std::ceil(std::hypot(tx - mouse.x, ty - mouse.y) / kMaxStepPx)));
        const float sx = mouse.x, sy = mouse.y;
        for (int s = 1; s <= steps; ++s) {
          mouse.x = sx + (tx - sx) * static_cast<float>(s) / static_cast<float>(steps);
          mouse.y = sy + (ty - sy) * static_cast<float>(s) / static_cast<float>(steps);
          drawing_.Add(run_frame_(mouse));
        }
      }
      mouse.down = false;
      drawing_.Add(run_frame_(mouse));
      idle_mouse_ = mouse;
    }
  }

  // Draws `digit`, waits for the predictions and checks both models' top-1.
  bool CheckDigit(int digit) {
    app_.Clear();
    if (!Settle("after Clear()")) return false;
    // The scripted digit at the canvas' size on screen, so the mouse draws it
    // as test_strokes.h shapes it.
    const float canvas_width = static_cast<float>(FlatJson(app_.StateJson()).Get("canvas.w"));
    const std::vector<Polyline> strokes = TestDigitStrokes(digit, canvas_width);
    if (strokes.empty()) {
      std::fprintf(stderr, "selftest: test_strokes.h has no strokes for \"%d\"\n", digit);
      return false;
    }
    Draw(strokes);
    if (!Settle("classifying the drawing")) return false;
    const std::string json = app_.StateJson();
    const FlatJson state(json);
    bool ok = true;
    if (state.Get("strokes") != static_cast<double>(strokes.size())) {
      std::fprintf(stderr, "selftest: drew %zu strokes of \"%d\" with the mouse, the app has %g\n",
                   strokes.size(), digit, state.Get("strokes"));
      ok = false;
    }
    for (const char* side : {"float", "quant"}) {
      const std::string top1 = std::string(side) + ".top1";
      const std::string confidence = std::string(side) + ".confidence";
      std::printf("selftest: \"%d\" -> %s model: %g (confidence %.3f)\n", digit, side,
                  state.Get(top1), state.Get(confidence));
      if (state.Get(top1) != digit) {
        std::fprintf(stderr, "selftest: the %s model classified the drawn \"%d\" as %g\n", side,
                     digit, state.Get(top1));
        ok = false;
      }
    }
    if (!ok) std::fprintf(stderr, "selftest: state: %s\n", json.c_str());
    return ok;
  }

  const FrameStats& drawing() const { return drawing_; }

 private:
  DemoApp& app_;
  const FrameRunner& run_frame_;
  ScriptedMouse idle_mouse_;
  FrameStats drawing_;
};

}  // namespace

int RunSelftest(DemoApp& app, const FrameRunner& run_frame) {
  Selftest test(app, run_frame);
  if (!test.Settle("loading the models")) return 1;
  bool ok = true;
  for (int digit : {1, 7}) ok = test.CheckDigit(digit) && ok;

  // The budget is checked on the main thread's CPU time: wall time on a
  // loaded shared machine (or CI runner) measures the other processes as much
  // as this one, and llvmpipe's threads stand in for a GPU.
  const FrameStats& f = test.drawing();
  const double mean_thread = FrameStats::Mean(f.thread);
  std::printf(
      "selftest: %zu frames while drawing (mean / max ms): wall %.2f / %.2f, "
      "process CPU %.2f / %.2f, main thread CPU %.2f / %.2f; budget %.0f ms\n",
      f.wall.size(), FrameStats::Mean(f.wall), FrameStats::Max(f.wall), FrameStats::Mean(f.process),
      FrameStats::Max(f.process), mean_thread, FrameStats::Max(f.thread), kFrameBudgetMs);
  if (mean_thread >= kFrameBudgetMs) {
    std::fprintf(stderr,
                 "selftest: the main thread's mean CPU time per frame, %.2f ms, is over "
                 "the %.0f ms budget\n",
                 mean_thread, kFrameBudgetMs);
    ok = false;
  } else if (FrameStats::Max(f.wall) >= kFrameBudgetMs) {
    std::printf(
        "selftest: note: some frames took over %.0f ms of wall time (a busy machine, or "
        "llvmpipe rendering on the CPU)\n",
        kFrameBudgetMs);
  }
  std::printf("selftest: %s\n", ok ? "passed" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace qlite::gui
