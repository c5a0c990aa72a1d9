# The digit GUI's platform libraries, included by the root CMakeLists before
# add_subdirectory(gui). Defines qlite_imgui (Dear ImGui with its SDL2 and
# OpenGL3 backends, linking SDL2 and GL) and QLITE_IMGUI_INCLUDE_DIR, and sets
# QLITE_GUI_DEPS_FOUND.
#   native: Debian's libsdl2-dev, libimgui-dev (libimgui.a holds the backends), libgl-dev
#   wasm:   SDL2 built for wasm and ImGui's sources, both from Debian's source
#           packages, cached by scripts/setup_gui.sh; ImGui is compiled here.

set(QLITE_THIRD_PARTY_DIR ${CMAKE_SOURCE_DIR}/build/third_party CACHE PATH
    "Where scripts/setup_gui.sh puts the ImGui/SDL2 sources and the wasm SDL2")
set(QLITE_GUI_DEPS_FOUND OFF)

if(EMSCRIPTEN)
  set(sdl2_prefix ${QLITE_THIRD_PARTY_DIR}/sdl2-wasm)
  file(GLOB imgui_dirs LIST_DIRECTORIES true ${QLITE_THIRD_PARTY_DIR}/src/imgui-*)
  list(FILTER imgui_dirs INCLUDE REGEX "/imgui-[^/]*$")
  list(LENGTH imgui_dirs imgui_dir_count)
  if(NOT EXISTS ${sdl2_prefix}/lib/libSDL2.a OR imgui_dir_count EQUAL 0)
    message(FATAL_ERROR "The web demo needs SDL2 built for wasm in ${sdl2_prefix} and the ImGui "
                        "sources in ${QLITE_THIRD_PARTY_DIR}/src: run scripts/setup_gui.sh")
  endif()
  list(GET imgui_dirs 0 imgui_dir)
  add_library(qlite_sdl2 INTERFACE)
  target_include_directories(qlite_sdl2 SYSTEM INTERFACE ${sdl2_prefix}/include/SDL2)
  target_link_libraries(qlite_sdl2 INTERFACE ${sdl2_prefix}/lib/libSDL2.a)

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
  find_path(QLITE_IMGUI_HEADER_DIR imgui.h PATH_SUFFIXES imgui)
  if(SDL2_FOUND AND OpenGL_OpenGL_FOUND AND QLITE_IMGUI_LIBRARY AND QLITE_IMGUI_HEADER_DIR)
    add_library(qlite_imgui INTERFACE)
    target_include_directories(qlite_imgui SYSTEM INTERFACE ${QLITE_IMGUI_HEADER_DIR})
    target_link_libraries(qlite_imgui INTERFACE ${QLITE_IMGUI_LIBRARY} SDL2::SDL2 OpenGL::OpenGL
                          ${CMAKE_DL_LIBS})
    set(QLITE_IMGUI_INCLUDE_DIR ${QLITE_IMGUI_HEADER_DIR})
    set(QLITE_GUI_DEPS_FOUND ON)
  else()
    message(STATUS "The digit GUI (gui/) is not built: it needs libsdl2-dev, libimgui-dev and "
                   "libgl-dev (scripts/setup.sh installs them)")
  endif()
endif()
