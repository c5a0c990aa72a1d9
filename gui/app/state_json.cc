#include "gui/app/state_json.h"

#include <cmath>
#include <cstdio>

#include "gui/app/demo_app.h"

namespace qlite::gui {

namespace {

std::string Number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

std::string SideJson(const ModelRunner* runner, bool has_input) {
  if (runner == nullptr) return "null";
  const Prediction& p = runner->prediction();
  const bool valid = has_input && p.valid;
  std::string probs = "[";
  for (int i = 0; i < kNumClasses; ++i) {
    probs += (i ? "," : "") + Number(valid ? p.probs[i] : 0.0);
  }
  probs += "]";
  return StrCat("{\"model\":", JsonString(runner->name()),
                ",\"top1\":", valid ? std::to_string(p.top1) : std::string("null"),
                ",\"confidence\":", Number(valid ? p.confidence : 0.0), ",\"probs\":", probs,
                ",\"us\":", Number(p.rolling_us), ",\"arena_bytes\":", runner->card().arena_bytes,
                ",\"file_bytes\":", runner->card().file_bytes, "}");
}

// The last loaded model that is not a digit classifier, or null.
std::string OtherModelJson(const ProbedModel* other) {
  if (other == nullptr) return "null";
  auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + JsonString(items[i]);
    return out + "]";
  };
  return StrCat("{\"model\":", JsonString(other->card.name),
                ",\"ops\":", JsonString(other->card.ops), ",\"inputs\":", list(other->inputs),
                ",\"outputs\":", list(other->outputs), ",\"us\":", Number(other->us),
                ",\"why_not_digits\":", JsonString(other->digit_mismatch), "}");
}

}  // namespace

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string BuildStateJson(const DemoApp& app) {
  const ScreenRect& r = app.canvas_rect();
  const AccuracyRun& acc = app.accuracy();
  const QuantizeJob& job = app.quantize_job();
  std::string accuracy =
      StrCat("{\"done\":", acc.done(), ",\"total\":", acc.total(), ",\"running\":", acc.running(),
             ",\"float_correct\":", acc.float_correct(), ",\"quant_correct\":", acc.quant_correct(),
             ",\"agree\":", acc.agree(), "}");
  std::string quantize =
      StrCat("{\"phase\":", JsonString(job.Describe()), ",\"progress\":", Number(job.progress()),
             ",\"samples\":", job.total(), "}");
  return StrCat(
      "{\"float\":", SideJson(app.float_runner(), app.has_input()),
      ",\"quant\":", SideJson(app.quant_runner(), app.has_input()),
      ",\"other\":", OtherModelJson(app.other_model()), ",\"agree\":", app.agree(),
      ",\"max_abs_diff\":", Number(app.max_abs_diff()),
      ",\"strokes\":", app.canvas().strokes().size(), ",\"has_input\":", app.has_input(),
      ",\"test_digit\":", app.test_digit_index(), ",\"test_label\":", app.test_digit_label(),
      ",\"canvas\":{\"x\":", Number(r.x), ",\"y\":", Number(r.y), ",\"w\":", Number(r.w),
      ",\"h\":", Number(r.h), ",\"size\":", kCanvasSize, "}", ",\"layers\":", app.layers().size(),
      ",\"accuracy\":", accuracy, ",\"quantize\":", quantize, ",\"busy\":", JsonString(app.Busy()),
      ",\"arithmetic\":", JsonString(ArithmeticName(app.arithmetic())),
      ",\"threads\":", app.threads(), ",\"debugger\":{\"layers\":", app.debugger_layers().size(),
      ",\"samples\":", app.debugger_samples(), "}", ",\"mnist\":", app.has_mnist(),
      ",\"calibration_pictures\":", app.calibration_pictures(),
      ",\"message\":", JsonString(app.message()), "}");
}

}  // namespace qlite::gui
