// Element types. The numeric values are TFLite's TensorType wire values, so a
// DType converts to and from the file format with a plain cast.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qlite {

enum class DType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
};

// Which arithmetic the quantized kernels XNNPACK delegates (conv, depthwise,
// fully connected, ...) use. kTflite: TFLite's builtin kernels, fixed-point
// MultiplyByQuantizedMultiplier (what TFLite-Micro and the reference runtime
// give). kXnnpack: XNNPACK's float32 requantization, round to nearest even
// (what TFLite with its default XNNPACK delegate, LiteRT.js and Android give).
enum class Arithmetic : int8_t { kTflite = 0, kXnnpack = 1 };

// "tflite" / "xnnpack"; ParseArithmetic accepts those names only.
const char* ArithmeticName(Arithmetic arithmetic);
bool ParseArithmetic(const char* name, Arithmetic* out);

// Bytes per element; 0 for types qlite cannot hold in a dense buffer
// (string, resource, variant, int4).
size_t DTypeSize(DType type);

// Lower-case name as used by the CLI and the JS API ("float32", "int8", ...);
// "unknown(N)" style names are never returned: out-of-range values give "invalid".
const char* DTypeName(DType type);

// True for the values the wire format defines (0..17).
bool IsValidDType(int value);

}  // namespace qlite
