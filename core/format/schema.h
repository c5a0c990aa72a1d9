// The flatc-generated TFLite schema. Include this, never the generated header:
// Emscripten's musl <limits.h> defines the POSIX macro ARG_MAX, which is also
// the name of a BuiltinOperator enumerator; glibc does not define it.
#pragma once

#include <limits.h>
#undef ARG_MAX

#include "core/format/tflite_schema_generated.h"
