// The digit demo in the browser: SDL2 + WebGL2 (GLES 3.0) under Emscripten.
// The initial model pair is preloaded into /models; MNIST and the other
// models come in a second package that the page downloads on first use (see
// gui/platform.cmake), so a digit can be drawn after ~0.7 MB. web/demo/index.html
// hosts the canvas, the file input and drag-and-drop, and exposes
// window.qliteDemo through the exported functions below.
#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "backends/imgui_impl_opengl3.h"
#include "backends/imgui_impl_sdl.h"
#include "gui/app/demo_app.h"
#include "gui/app/test_strokes.h"
#include "gui/view/demo_view.h"
#include "imgui.h"

namespace {

struct WebDemo {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  qlite::gui::DemoApp app;
};

WebDemo* g_demo = nullptr;  // the exported functions reach the app through it

// The page downloads the assets package, then calls qlite_demo_assets_arrived.
EM_JS(void, FetchDemoAssets, (), { Module.fetchAssets(); });

// The page's CSS sizes the canvas to the viewport; follow it.
void FitWindowToPage(WebDemo* demo) {
  double css_width = 0, css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  int width = 0, height = 0;
  SDL_GetWindowSize(demo->window, &width, &height);
  if (css_width >= 1 && css_height >= 1 &&
      (static_cast<int>(css_width) != width || static_cast<int>(css_height) != height)) {
    SDL_SetWindowSize(demo->window, static_cast<int>(css_width), static_cast<int>(css_height));
  }
}

void Frame(void* arg) {
  auto* demo = static_cast<WebDemo*>(arg);
  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);
  FitWindowToPage(demo);
  demo->app.Tick();

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  qlite::gui::DrawDemo(demo->app);
  ImGui::Render();

  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, static_cast<int>(io.DisplaySize.x), static_cast<int>(io.DisplaySize.y));
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(demo->window);
}

}  // namespace

extern "C" {

// window.qliteDemo.state(): the app's state as JSON (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* qlite_demo_state() {
  static std::string json;
  json = g_demo != nullptr ? g_demo->app.StateJson() : std::string("{}");
  return json.c_str();
}

// A model the user picked or dropped on the page. Returns "" on success, else
// the error message (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* qlite_demo_load_model(const char* name, const uint8_t* bytes,
                                                       int size) {
  static std::string error;
  if (g_demo == nullptr || size < 0) {
    error = "the demo is not running";
  } else {
    const qlite::Status status =
        g_demo->app.LoadUserModel(name, std::vector<uint8_t>(bytes, bytes + size));
    error = status.ok() ? "" : status.message();
  }
  return error.c_str();
}

// The assets package's files are in /models and /mnist. Returns "" on
// success, else the error message (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* qlite_demo_assets_arrived() {
  static std::string error;
  const qlite::Status status =
      g_demo != nullptr ? g_demo->app.AssetsArrived() : qlite::Status::Error("not running");
  error = status.ok() ? "" : status.message();
  return error.c_str();
}

// A picture of a digit dropped on the page (RGBA, decoded by the browser)
// joins the calibration pictures. Returns "" or the error message.
EMSCRIPTEN_KEEPALIVE const char* qlite_demo_add_picture(const char* name, const uint8_t* rgba,
                                                        int width, int height) {
  static std::string error;
  const qlite::Status status =
      g_demo != nullptr && width > 0 && height > 0
          ? g_demo->app.AddCalibrationPicture(name, rgba, width, height)
          : qlite::Status::Error("the demo is not running or the picture is empty");
  error = status.ok() ? "" : status.message();
  return error.c_str();
}

// window.qliteDemo.clear(): the Clear button's action, for tests between digits.
EMSCRIPTEN_KEEPALIVE void qlite_demo_clear() {
  if (g_demo != nullptr) g_demo->app.Clear();
}

// window.qliteDemo.testStrokes(digit, size): test_strokes.h's scripted digit
// for a canvas `size` px wide, as JSON [[[x,y],...],...], so the browser test
// drags the mouse along the same polylines as the desktop --selftest.
EMSCRIPTEN_KEEPALIVE const char* qlite_demo_test_strokes(int digit, float size) {
  static std::string json;
  json = "[";
  for (const qlite::gui::Polyline& stroke : qlite::gui::TestDigitStrokes(digit, size)) {
    json += json.size() > 1 ? ",[" : "[";
    for (size_t i = 0; i < stroke.size(); ++i) {
      json +=
          (i ? ",[" : "[") + std::to_string(stroke[i].x) + "," + std::to_string(stroke[i].y) + "]";
    }
    json += "]";
  }
  json += "]";
  return json.c_str();
}

}  // extern "C"

int main() {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "qlite-demo: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
  // WebGL2 is GLES 3.0: the ImGui backend then uses "#version 300 es" shaders.
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  // Keyboard events only for the canvas, so the page's file input keeps working.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");

  static WebDemo demo;  // lives for the page's lifetime (the main loop never returns)
  double css_width = 1280, css_height = 800;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  demo.window = SDL_CreateWindow("qlite digits", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                 static_cast<int>(css_width), static_cast<int>(css_height),
                                 SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE);
  demo.gl = demo.window != nullptr ? SDL_GL_CreateContext(demo.window) : nullptr;
  if (demo.gl == nullptr) {
    std::fprintf(stderr, "qlite-demo: no WebGL2 context: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(demo.window, demo.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini in the browser's in-memory file system
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(demo.window, demo.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  qlite::gui::DemoConfig config = qlite::gui::DefaultDemoConfig("/models", "/mnist");
  config.fetch_assets = FetchDemoAssets;
  const qlite::Status status = demo.app.Init(config);
  if (!status.ok()) {
    std::fprintf(stderr, "qlite-demo: %s\n", status.message().c_str());
    return 1;
  }
  g_demo = &demo;
  emscripten_set_main_loop_arg(Frame, &demo, 0, true);
  return 0;
}
