// qlite-threads.wasm opens no library with dlopen(): its side modules are
// linked by loadWebAssemblyModule on the calling thread only, and their
// kernels never run on a worker (core/kernel_api.h). Emscripten's MAIN_MODULE
// + pthreads runtime still links the dlopen bookkeeping for threads, and with
// it dlerror's formatting (vsnprintf, the printf core: ~10 KB of the 400 KB
// budget). These replace the three entry points it reaches, each a no-op when
// nothing was dlopen()ed, which is always here.
extern "C" {

// Loads, on a starting thread, the libraries dlopen() opened on others.
void _emscripten_thread_sync_code() {}

// Records a dlopen() error message for dlerror().
void __dl_seterr(const char*, ...) {}

// Frees a finishing thread's dlerror() message.
void __dl_thread_cleanup() {}

}  // extern "C"
