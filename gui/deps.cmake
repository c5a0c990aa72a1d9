# The digit GUI's platform libraries, included by the root CMakeLists before
# add_subdirectory(gui). Defines qlite_imgui (Dear ImGui with its SDL2 and
# OpenGL3 backends, linking SDL2 and GL) and QLITE_IMGUI_INCLUDE_DIR, and sets
# QLITE_GUI_DEPS_FOUND.
#   native: Debian's libsdl2-dev, libimgui-dev (libimgui.a holds the backends), libgl-dev
#   wasm:   SDL2 and ImGui compiled here from Debian's source packages, which
#           scripts/setup_gui.sh fetches into build/third_party/src.

set(QLITE_THIRD_PARTY_DIR ${CMAKE_SOURCE_DIR}/build/third_party CACHE PATH
    "Where scripts/setup_gui.sh puts the ImGui and SDL2 sources")
set(QLITE_GUI_DEPS_FOUND OFF)

if(EMSCRIPTEN)
  file(GLOB sdl2_dirs LIST_DIRECTORIES true ${QLITE_THIRD_PARTY_DIR}/src/libsdl2-*)
  list(FILTER sdl2_dirs INCLUDE REGEX "/libsdl2-[^/]*$")
  file(GLOB imgui_dirs LIST_DIRECTORIES true ${QLITE_THIRD_PARTY_DIR}/src/imgui-*)
  list(FILTER imgui_dirs INCLUDE REGEX "/imgui-[^/]*$")
  if(NOT sdl2_dirs OR NOT imgui_dirs)
    message(FATAL_ERROR "The web demo needs the SDL2 and ImGui sources in "
                        "${QLITE_THIRD_PARTY_DIR}/src: run scripts/setup_gui.sh")
  endif()
  list(GET sdl2_dirs 0 sdl2_dir)
  list(GET imgui_dirs 0 imgui_dir)
  enable_language(C)
  # SDL2 for Emscripten from its sources with SDL's own SDL_config_emscripten.h
  # (picked by SDL_config.h under __EMSCRIPTEN__): no configure step, whose
  # ~160 emcc try-compiles take far longer than this build on a busy machine.
  # Only the drivers that config enables: Emscripten video/audio/joystick,
  # dummy/disk fallbacks, generic threads (no pthreads), unix timers.
  set(sdl2_source_globs
    *.c atomic/*.c audio/*.c audio/disk/*.c audio/dummy/*.c audio/emscripten/*.c
    cpuinfo/*.c dynapi/*.c events/*.c file/*.c filesystem/emscripten/*.c
    haptic/*.c haptic/dummy/*.c hidapi/SDL_hidapi.c joystick/*.c joystick/emscripten/*.c
    joystick/virtual/*.c loadso/dlopen/*.c locale/*.c locale/emscripten/*.c misc/*.c
    misc/emscripten/*.c power/*.c power/emscripten/*.c render/*.c render/opengles2/*.c
    render/software/*.c sensor/*.c sensor/dummy/*.c stdlib/*.c thread/*.c thread/generic/*.c
    timer/*.c timer/unix/*.c video/*.c video/emscripten/*.c video/yuv2rgb/*.c)
  set(sdl2_sources)
  foreach(pattern ${sdl2_source_globs})
    file(GLOB matched ${sdl2_dir}/src/${pattern})
    list(APPEND sdl2_sources ${matched})
  endforeach()
  add_library(qlite_sdl2 STATIC ${sdl2_sources})
  target_include_directories(qlite_sdl2 SYSTEM PUBLIC ${sdl2_dir}/include)
  target_include_directories(qlite_sdl2 PRIVATE ${sdl2_dir}/src)
  target_compile_options(qlite_sdl2 PRIVATE -O2 -w)

  add_library(qlite_imgui STATIC
    ${imgui_dir}/imgui.cpp ${imgui_dir}/imgui_draw.cpp ${imgui_dir}/imgui_tables.cpp
    ${imgui_dir}/imgui_widgets.cpp
    ${imgui_dir}/backends/imgui_impl_sdl.cpp ${imgui_dir}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(qlite_imgui SYSTEM PUBLIC ${imgui_dir})
  # WebGL2 = GLES 3.0; without this the backend falls back to WebGL1 shaders.
  target_compile_definitions(qlite_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_compile_options(qlite_imgui PRIVATE -O2 -w)
  target_link_libraries(qlite_imgui PUBLIC qlite_sdl2)
  set(QLITE_IMGUI_INCLUDE_DIR ${imgui_dir})
  set(QLITE_GUI_DEPS_FOUND ON)
else()
  find_package(SDL2 CONFIG QUIET)
  set(OpenGL_GL_PREFERENCE GLVND)
  find_package(OpenGL QUIET)
  find_library(QLITE_IMGUI_LIBRARY imgui)
  find_library(QLITE_STB_LIBRARY stb)  # Debian's ImGui uses the system stb (font atlas)
  find_path(QLITE_IMGUI_HEADER_DIR imgui.h PATH_SUFFIXES imgui)
  if(SDL2_FOUND AND OpenGL_OpenGL_FOUND AND QLITE_IMGUI_LIBRARY AND QLITE_STB_LIBRARY
     AND QLITE_IMGUI_HEADER_DIR)
    add_library(qlite_imgui INTERFACE)
    target_include_directories(qlite_imgui SYSTEM INTERFACE ${QLITE_IMGUI_HEADER_DIR})
    target_link_libraries(qlite_imgui INTERFACE ${QLITE_IMGUI_LIBRARY} ${QLITE_STB_LIBRARY}
                          SDL2::SDL2 OpenGL::OpenGL ${CMAKE_DL_LIBS})
    set(QLITE_IMGUI_INCLUDE_DIR ${QLITE_IMGUI_HEADER_DIR})
    set(QLITE_GUI_DEPS_FOUND ON)
  else()
    message(STATUS "The digit GUI (gui/) is not built: it needs libsdl2-dev, libimgui-dev and "
                   "libgl-dev (scripts/setup.sh installs them)")
  endif()
endif()
