#include "gui/view/demo_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>

#include "imgui.h"

namespace qlite::gui {

namespace {

constexpr float kLeftColumnWidth = 310.0f;
const ImU32 kInk = IM_COL32(255, 255, 255, 255);
const ImU32 kPaper = IM_COL32(0, 0, 0, 255);
const ImU32 kFloatColor = IM_COL32(90, 160, 255, 255);
const ImU32 kQuantColor = IM_COL32(255, 170, 60, 255);
const ImVec4 kGood(0.35f, 0.85f, 0.4f, 1.0f);
const ImVec4 kBad(1.0f, 0.35f, 0.3f, 1.0f);

ImU32 Gray(float v) {
  const int level = static_cast<int>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
  return IM_COL32(level, level, level, 255);
}

std::string Bytes(size_t bytes) {
  char text[32];
  if (bytes >= 10 * 1024) {
    std::snprintf(text, sizeof(text), "%.1f KB", bytes / 1024.0);
  } else {
    std::snprintf(text, sizeof(text), "%zu B", bytes);
  }
  return text;
}

// A stroke as thick polylines (ImGui joins their segments with miters), cut
// at sharp turns, where a miter would spike, and given round joins and caps
// there. Circles at every mouse sample would cost ~30 vertices each, and
// WebGL2's 16-bit indices cap a draw list at 65536 vertices.
void DrawStroke(ImDrawList* draw, const Stroke& stroke, const ImVec2& origin, float to_screen) {
  constexpr float kJoinCosine = 0.9063f;  // cos(25 degrees): sharper turns get a round join
  const ImU32 color = stroke.erase ? kPaper : kInk;
  const float r = stroke.radius * to_screen;
  const std::vector<Point>& points = stroke.points;
  auto screen = [&](const Point& p) {
    return ImVec2(origin.x + p.x * to_screen, origin.y + p.y * to_screen);
  };
  const int segments = r < 6.0f ? 10 : 16;
  draw->AddCircleFilled(screen(points.front()), r, color, segments);
  draw->PathLineTo(screen(points.front()));
  for (size_t i = 1; i < points.size(); ++i) {
    draw->PathLineTo(screen(points[i]));
    if (i + 1 == points.size()) break;
    const float ax = points[i].x - points[i - 1].x, ay = points[i].y - points[i - 1].y;
    const float bx = points[i + 1].x - points[i].x, by = points[i + 1].y - points[i].y;
    const float lengths = std::sqrt((ax * ax + ay * ay) * (bx * bx + by * by));
    if (lengths > 0.0f && (ax * bx + ay * by) < kJoinCosine * lengths) {
      draw->PathStroke(color, 0, 2.0f * r);
      draw->AddCircleFilled(screen(points[i]), r, color, segments);
      draw->PathLineTo(screen(points[i]));
    }
  }
  draw->PathStroke(color, 0, 2.0f * r);  // a single point leaves no line, only the cap
  if (points.size() > 1) draw->AddCircleFilled(screen(points.back()), r, color, segments);
}

// The canvas: an invisible button that turns mouse drags into strokes, drawn
// as round-capped vector strokes (white on black, like MNIST).
void DrawCanvas(DemoApp& app, float side) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##canvas", ImVec2(side, side));
  app.SetCanvasScreenRect(origin.x, origin.y, side, side);
  const float to_canvas = kCanvasSize / side;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float cx = (mouse.x - origin.x) * to_canvas, cy = (mouse.y - origin.y) * to_canvas;
  if (ImGui::IsItemActivated()) {
    app.BeginStroke(cx, cy);
  } else if (ImGui::IsItemActive()) {
    app.ContinueStroke(cx, cy);
  }
  if (ImGui::IsItemDeactivated()) app.EndStroke();
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && !io.WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z))) {
    app.Undo();
  }

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + side, origin.y + side);
  draw->AddRectFilled(origin, end, kPaper);
  draw->PushClipRect(origin, end, true);
  const Canvas& canvas = app.canvas();
  if (canvas.has_background() && app.test_digit_index() >= 0) {
    // The MNIST digit at its own resolution: 28x28 cells.
    const MnistImage& image = app.input_image();
    const float cell = side / kMnistSide;
    if (canvas.strokes().empty()) {
      for (int y = 0; y < kMnistSide; ++y) {
        for (int x = 0; x < kMnistSide; ++x) {
          const float v = image[y * kMnistSide + x];
          if (v <= 0.0f) continue;
          const ImVec2 a(origin.x + x * cell, origin.y + y * cell);
          draw->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), Gray(v));
        }
      }
    } else {
      // Drawing over a test digit: show the canvas raster, sampled coarsely.
      const int step = kCanvasSize / kMnistSide;
      for (int y = 0; y < kMnistSide; ++y) {
        for (int x = 0; x < kMnistSide; ++x) {
          const float v =
              canvas.pixels()[(y * step + step / 2) * kCanvasSize + x * step + step / 2];
          if (v <= 0.0f) continue;
          const ImVec2 a(origin.x + x * cell, origin.y + y * cell);
          draw->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), Gray(v));
        }
      }
    }
  }
  const float to_screen = side / kCanvasSize;
  for (const Stroke& stroke : canvas.strokes()) DrawStroke(draw, stroke, origin, to_screen);
  draw->PopClipRect();
  draw->AddRect(origin, end, IM_COL32(120, 120, 120, 255));
}

// The 28x28 model input, `cell` screen pixels per MNIST pixel.
void DrawPreview(const DemoApp& app, float cell) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float side = cell * kMnistSide;
  ImGui::Dummy(ImVec2(side, side));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), kPaper);
  const MnistImage& image = app.input_image();
  if (app.has_input()) {
    for (int y = 0; y < kMnistSide; ++y) {
      for (int x = 0; x < kMnistSide; ++x) {
        const float v = image[y * kMnistSide + x];
        if (v <= 0.0f) continue;
        const ImVec2 a(origin.x + x * cell, origin.y + y * cell);
        draw->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), Gray(v));
      }
    }
  }
  // The 20x20 box MNIST digits are scaled into, for reference.
  const PreprocessInfo& info = app.preprocess_info();
  if (app.has_input() && app.test_digit_index() < 0) {
    const ImVec2 a(origin.x + info.offset_x * cell, origin.y + info.offset_y * cell);
    draw->AddRect(a, ImVec2(a.x + kMnistBox * cell, a.y + kMnistBox * cell),
                  IM_COL32(80, 80, 160, 255));
  }
  draw->AddRect(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(120, 120, 120, 255));
}

void DrawLeftColumn(DemoApp& app) {
  const float side = std::min(kLeftColumnWidth - 16.0f, static_cast<float>(kCanvasSize));
  ImGui::TextUnformatted("Draw a digit");
  DrawCanvas(app, side);

  float brush = app.brush();
  ImGui::SetNextItemWidth(side - 90.0f);
  if (ImGui::SliderFloat("brush", &brush, 4.0f, 24.0f, "%.0f px")) app.SetBrush(brush);
  bool erase = app.erase();
  if (ImGui::Checkbox("erase", &erase)) app.SetErase(erase);
  ImGui::SameLine();
  if (ImGui::Button("Undo")) app.Undo();
  ImGui::SameLine();
  if (ImGui::Button("Clear")) app.Clear();

  ImGui::BeginDisabled(!app.mnist_reachable());
  if (ImGui::Button("Random test digit")) app.RandomTestDigit();
  ImGui::EndDisabled();
  if (app.test_digit_index() >= 0) {
    ImGui::SameLine();
    ImGui::Text("#%d, label %d", app.test_digit_index(), app.test_digit_label());
  }

  ImGui::Separator();
  ImGui::TextUnformatted("Model input (28x28, MNIST-style)");
  DrawPreview(app, 4.0f);
  ImGui::Text("%.1f ms/frame (%.0f FPS)", 1000.0f / std::max(ImGui::GetIO().Framerate, 1.0f),
              ImGui::GetIO().Framerate);
}

// Ten bars, the top-1 highlighted, its probability printed above it.
void DrawBars(const char* id, const Prediction& p, bool valid, ImU32 color, float width) {
  const float height = 120.0f, label_height = ImGui::GetTextLineHeight();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height + label_height * 2));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float slot = width / kNumClasses, top = origin.y + label_height;
  draw->AddRectFilled(ImVec2(origin.x, top), ImVec2(origin.x + width, top + height),
                      IM_COL32(30, 30, 36, 255));
  for (int c = 0; c < kNumClasses; ++c) {
    const float prob = valid ? p.probs[c] : 0.0f;
    const float x0 = origin.x + c * slot + slot * 0.15f,
                x1 = origin.x + (c + 1) * slot - slot * 0.15f;
    const bool is_top = valid && c == p.top1;
    const ImU32 bar = is_top ? color : (color & 0x00FFFFFF) | 0x90000000;
    draw->AddRectFilled(ImVec2(x0, top + height * (1.0f - prob)), ImVec2(x1, top + height), bar);
    char digit[4];
    std::snprintf(digit, sizeof(digit), "%d", c);
    draw->AddText(ImVec2(x0 + (x1 - x0) * 0.5f - 4.0f, top + height + 1.0f),
                  is_top ? IM_COL32(255, 255, 255, 255) : IM_COL32(170, 170, 170, 255), digit);
    if (is_top) {
      char percent[8];
      std::snprintf(percent, sizeof(percent), "%.0f%%", prob * 100.0f);
      draw->AddText(ImVec2(x0 - 4.0f, top + height * (1.0f - prob) - label_height), color, percent);
    }
  }
  if (ImGui::IsItemHovered() && valid) {
    ImGui::BeginTooltip();
    for (int c = 0; c < kNumClasses; ++c) ImGui::Text("%d: %.4f", c, p.probs[c]);
    ImGui::EndTooltip();
  }
}

// `classifier`: a side of the comparison, whose one output is class scores.
void DrawModelCard(const ModelCard& card, bool classifier = true) {
  ImGui::Text("file %s, arena %s", Bytes(card.file_bytes).c_str(), Bytes(card.arena_bytes).c_str());
  const char* ending = !classifier                  ? ""
                       : card.outputs_probabilities ? ", ends in SOFTMAX"
                                                    : ", outputs logits";
  ImGui::Text("%d ops, %d tensors%s", card.num_ops, card.num_tensors, ending);
  ImGui::TextWrapped("ops: %s", card.ops.c_str());
  ImGui::Text("kernels: %d of %d nodes SIMD128, the rest reference", card.simd_nodes, card.num_ops);
  if (classifier) {
    ImGui::TextWrapped("input: %s", card.input.c_str());
    ImGui::TextWrapped("output: %s", card.output.c_str());
  }
  ImGui::TextWrapped("weights: %s", card.weight_types.c_str());
  ImGui::TextWrapped("activations: %s", card.activation_types.c_str());
}

// One side of the comparison: model picker, bars, top-1, timing, card.
void DrawSide(DemoApp& app, bool float_side, float width) {
  ImGui::PushID(float_side ? "float" : "quant");
  const ModelRunner* runner = float_side ? app.float_runner() : app.quant_runner();
  const int selected = float_side ? app.float_index() : app.quant_index();
  const std::vector<ModelEntry>& models = app.models();
  ImGui::AlignTextToFramePadding();  // same baseline in both table cells
  ImGui::TextUnformatted(float_side ? "Float model" : "Quantized model");
  ImGui::SetNextItemWidth(width);
  const char* current = selected >= 0 ? models[selected].name.c_str() : "(none)";
  if (ImGui::BeginCombo("##model", current)) {
    for (int i = 0; i < static_cast<int>(models.size()); ++i) {
      const std::string label = models[i].user ? models[i].name + "  [loaded]" : models[i].name;
      if (ImGui::Selectable(label.c_str(), i == selected)) {
        if (float_side) {
          app.SelectFloatModel(i);
        } else {
          app.SelectQuantModel(i);
        }
      }
    }
    ImGui::EndCombo();
  }
  if (float_side && DemoApp::max_threads() > 1) {
    int threads = app.threads();
    if (ImGui::SliderInt("threads", &threads, 1, DemoApp::max_threads())) app.SetThreads(threads);
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "Threads both models split large nodes over (the same outputs for\n"
          "every count; the digit models are small enough to stay on one).");
    }
  }
  if (!float_side) {
    bool xnnpack = app.arithmetic() == Arithmetic::kXnnpack;
    if (ImGui::Checkbox("XNNPACK arithmetic", &xnnpack)) {
      app.SetArithmetic(xnnpack ? Arithmetic::kXnnpack : Arithmetic::kTflite);
    }
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "Requantize as XNNPACK does: the bytes of LiteRT.js and of TFLite on\n"
          "Android. Off: TFLite's builtin kernels, the bytes of TFLite-Micro.");
    }
  }
  if (runner != nullptr) {
    const Prediction& p = runner->prediction();
    const bool valid = app.has_input() && p.valid;
    DrawBars("##bars", p, valid, float_side ? kFloatColor : kQuantColor, width);
    if (valid) {
      ImGui::Text("top-1: %d   confidence %.1f%%", p.top1, p.confidence * 100.0f);
    } else {
      ImGui::TextDisabled("top-1: -  (draw a digit)");
    }
    ImGui::Text("%.1f us/inference (mean of last %d)", p.rolling_us, ModelRunner::kRollingRuns);
    if (ImGui::CollapsingHeader("Model card")) DrawModelCard(runner->card());
  }
  ImGui::PopID();
}

// A loaded model that is not a digit classifier: what it takes and gives,
// and its one run on a zero input.
void DrawOtherModel(const DemoApp& app) {
  const ProbedModel* other = app.other_model();
  if (other == nullptr) return;
  const std::string title = "Other model: " + other->card.name + "###other";
  if (!ImGui::CollapsingHeader(title.c_str())) return;
  ImGui::TextWrapped("Not a digit classifier: it %s", other->digit_mismatch.c_str());
  ImGui::Text("one run on a zero input: %.1f us", other->us);
  for (const std::string& in : other->inputs) ImGui::TextWrapped("input: %s", in.c_str());
  for (const std::string& out : other->outputs) ImGui::TextWrapped("output: %s", out.c_str());
  DrawModelCard(other->card, /*classifier=*/false);
}

void DrawQuantizeSection(DemoApp& app) {
  if (!ImGui::CollapsingHeader("Quantize a float model in the app",
                               ImGuiTreeNodeFlags_DefaultOpen)) {
    return;
  }
  QuantizeSettings& settings = app.quantize_settings();
  static const QuantMode kModes[] = {QuantMode::kInt8, QuantMode::kInt8Fallback,
                                     QuantMode::kInt16x8, QuantMode::kDynamic, QuantMode::kFloat16};
  ImGui::SetNextItemWidth(140.0f);
  if (ImGui::BeginCombo("PTQ mode", QuantModeName(settings.mode))) {
    for (QuantMode mode : kModes) {
      if (ImGui::Selectable(QuantModeName(mode), mode == settings.mode)) settings.mode = mode;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  static const char* kIoNames[] = {"float32", "int8", "uint8", "int16"};
  static const IoType kIo[] = {IoType::kFloat32, IoType::kInt8, IoType::kUInt8, IoType::kInt16};
  int io = 0;
  for (int i = 0; i < 4; ++i) {
    if (kIo[i] == settings.io) io = i;
  }
  ImGui::SetNextItemWidth(100.0f);
  if (ImGui::Combo("I/O", &io, kIoNames, 4)) settings.io = kIo[io];
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140.0f);
  ImGui::SliderInt("calibration images", &settings.calibration_samples, 10, 1000);
  if (app.calibration_pictures() > 0) {
    ImGui::Text("calibrating on %d dropped pictures", app.calibration_pictures());
    ImGui::SameLine();
    if (ImGui::SmallButton("use MNIST")) app.ClearCalibrationPictures();
  } else {
    ImGui::TextDisabled("calibrating on MNIST (drop PNG/JPEG pictures of digits to use yours)");
  }

  const QuantizeJob& job = app.quantize_job();
  const bool can_quantize = app.float_runner() != nullptr && app.float_runner()->card().float_model;
  ImGui::BeginDisabled(job.running() || !can_quantize);
  if (ImGui::Button("Quantize the float model")) app.StartQuantize();
  ImGui::EndDisabled();
  ImGui::SameLine();
  const std::string phase = job.Describe();
  ImGui::ProgressBar(job.progress(), ImVec2(-1.0f, 0.0f), phase.empty() ? "idle" : phase.c_str());
  if (!can_quantize) ImGui::TextDisabled("(the float side holds a quantized model)");

  static char path[512] = "";
  ImGui::SetNextItemWidth(320.0f);
  ImGui::InputTextWithHint("##path", "path/to/model.tflite (or drop a file)", path, sizeof(path));
  ImGui::SameLine();
  if (ImGui::Button("Load .tflite") && path[0] != '\0') app.LoadUserModelFile(path);
}

void DrawAccuracySection(DemoApp& app) {
  if (!ImGui::CollapsingHeader("Accuracy on the MNIST test set")) return;
  static int count = 1000;
  const AccuracyRun& run = app.accuracy();
  ImGui::BeginDisabled(!app.mnist_reachable());
  ImGui::SetNextItemWidth(160.0f);
  ImGui::SliderInt("images", &count, 100, 10000);
  ImGui::SameLine();
  if (run.running()) {
    if (ImGui::Button("Cancel")) app.CancelAccuracyRun();
  } else if (ImGui::Button("Run")) {
    app.StartAccuracyRun(count);
  }
  ImGui::EndDisabled();
  char overlay[32];
  std::snprintf(overlay, sizeof(overlay), "%d/%d", run.done(), run.total());
  ImGui::ProgressBar(run.progress(), ImVec2(-1.0f, 0.0f), overlay);
  if (run.done() > 0) {
    const float n = static_cast<float>(run.done());
    ImGui::Text("float %.2f%%   quantized %.2f%%   agree %.2f%%", 100.0f * run.float_correct() / n,
                100.0f * run.quant_correct() / n, 100.0f * run.agree() / n);
  }
}

// A scrolling table of per-layer rows; its third column (the layer's name)
// takes the spare width. False when ImGui skips it (call EndTable only if true).
bool BeginLayerTable(const char* id, std::initializer_list<const char*> columns, size_t rows) {
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float height = std::min(ImGui::GetTextLineHeightWithSpacing() * (rows + 2.0f), 260.0f);
  if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), flags, ImVec2(0.0f, height))) {
    return false;
  }
  ImGui::TableSetupScrollFreeze(0, 1);
  int index = 0;
  for (const char* column : columns) {
    ImGui::TableSetupColumn(
        column, index++ == 2 ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_None);
  }
  ImGui::TableHeadersRow();
  return true;
}

// A new row's node, op and layer-name cells.
void NodeOpNameCells(int node, const std::string& op, const std::string& name) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::Text("%d", node);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(op.c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(name.c_str());
}

void DrawLayerTable(const DemoApp& app) {
  if (!ImGui::CollapsingHeader("Per-layer error (float vs quantized, this drawing)",
                               ImGuiTreeNodeFlags_DefaultOpen)) {
    return;
  }
  const std::vector<LayerError>& layers = app.layers();
  if (layers.empty()) {
    ImGui::TextDisabled(app.has_input() ? "no tensors with matching names" : "draw a digit");
    return;
  }
  if (!BeginLayerTable(
          "layers",
          {"node", "op", "tensor", "dtype", "max |err|", "mean |err|", "err / max|float|"},
          layers.size())) {
    return;
  }
  for (const LayerError& layer : layers) {
    NodeOpNameCells(layer.node, layer.op, layer.tensor);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(layer.dtype.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", layer.max_abs_error);
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", layer.mean_abs_error);
    ImGui::TableNextColumn();
    const float relative =
        layer.float_abs_max > 0.0f ? layer.max_abs_error / layer.float_abs_max : 0.0f;
    char text[16];
    std::snprintf(text, sizeof(text), "%.2f%%", relative * 100.0f);
    ImGui::ProgressBar(std::min(relative * 10.0f, 1.0f), ImVec2(110.0f, 0.0f), text);
  }
  ImGui::EndTable();
}

// TFLite's QuantizationDebugger metrics of each layer on its own (the float
// op fed the layer's dequantized inputs), computed by the code of `qlite
// compare`: rmse/scale above 0.7 is what the debugger's guide calls suspect.
void DrawDebuggerMetrics(DemoApp& app) {
  if (!ImGui::CollapsingHeader("QuantizationDebugger metrics (each layer alone)")) return;
  static int count = 100;
  ImGui::SetNextItemWidth(160.0f);
  ImGui::SliderInt("MNIST images##debugger", &count, 0, 1000);
  ImGui::SameLine();
  if (ImGui::Button("Measure")) app.MeasureDebuggerMetrics(count);
  const std::vector<LayerReport>& layers = app.debugger_layers();
  if (layers.empty()) return;
  ImGui::Text("%s, %d images (the drawing, if any, and MNIST)", app.debugger_pair().c_str(),
              app.debugger_samples());
  if (!BeginLayerTable("debugger",
                       {"node", "op", "layer", "rmse/scale", "max |err|", "SNR dB", "cosine"},
                       layers.size())) {
    return;
  }
  for (const LayerReport& layer : layers) {
    NodeOpNameCells(layer.node, layer.op, layer.name);
    ImGui::TableNextColumn();
    const double ratio = layer.rmse_over_scale();
    char text[24];
    std::snprintf(text, sizeof(text), "%.3f", ratio);
    ImGui::ProgressBar(static_cast<float>(std::min(ratio / 0.7, 1.0)), ImVec2(90.0f, 0.0f), text);
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", layer.metrics.max_abs_error);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f", layer.metrics.snr_db);
    ImGui::TableNextColumn();
    ImGui::Text("%.4f", layer.metrics.cosine);
  }
  ImGui::EndTable();
}

void DrawComparison(DemoApp& app) {
  if (ImGui::BeginTable("sides", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    DrawSide(app, true, std::max(160.0f, ImGui::GetContentRegionAvail().x - 8.0f));
    ImGui::TableNextColumn();
    DrawSide(app, false, std::max(160.0f, ImGui::GetContentRegionAvail().x - 8.0f));
    ImGui::EndTable();
  }

  if (app.has_input() && app.float_runner() != nullptr && app.quant_runner() != nullptr) {
    if (app.agree()) {
      ImGui::TextColored(kGood, "AGREE: both say %d", app.float_runner()->prediction().top1);
    } else {
      ImGui::TextColored(kBad, "DISAGREE: float %d vs quantized %d",
                         app.float_runner()->prediction().top1,
                         app.quant_runner()->prediction().top1);
    }
    ImGui::SameLine();
    ImGui::Text("   max |float - dequantized| over the outputs: %.4g", app.max_abs_diff());
  }
}

}  // namespace

void DrawDemo(DemoApp& app) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("qlite digit demo", nullptr, flags);
  ImGui::BeginChild("left", ImVec2(kLeftColumnWidth, 0.0f), false);
  DrawLeftColumn(app);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("right", ImVec2(0.0f, 0.0f), false);
  ImGui::Text("qlite: float vs quantized, live");
  const std::string busy = app.Busy();
  if (!busy.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("  [%s]", busy.c_str());
  }
  if (!app.message().empty()) ImGui::TextWrapped("%s", app.message().c_str());
  ImGui::Separator();
  DrawComparison(app);
  ImGui::Separator();
  DrawOtherModel(app);
  DrawQuantizeSection(app);
  DrawAccuracySection(app);
  DrawLayerTable(app);
  DrawDebuggerMetrics(app);
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace qlite::gui
