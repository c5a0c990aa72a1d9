#include "core/types.h"

#include <string>

namespace qlite {

size_t DTypeSize(DType type) {
  switch (type) {
    case DType::kFloat32: return 4;
    case DType::kFloat16: return 2;
    case DType::kInt32: return 4;
    case DType::kUInt8: return 1;
    case DType::kInt64: return 8;
    case DType::kBool: return 1;
    case DType::kInt16: return 2;
    case DType::kComplex64: return 8;
    case DType::kInt8: return 1;
    case DType::kFloat64: return 8;
    case DType::kComplex128: return 16;
    case DType::kUInt64: return 8;
    case DType::kUInt32: return 4;
    case DType::kUInt16: return 2;
    case DType::kResource: return 4;  // a resource variable's id, as TFLite's VAR_HANDLE writes
    case DType::kString:
    case DType::kVariant:
    case DType::kInt4: return 0;
  }
  return 0;
}

const char* DTypeName(DType type) {
  switch (type) {
    case DType::kFloat32: return "float32";
    case DType::kFloat16: return "float16";
    case DType::kInt32: return "int32";
    case DType::kUInt8: return "uint8";
    case DType::kInt64: return "int64";
    case DType::kString: return "string";
    case DType::kBool: return "bool";
    case DType::kInt16: return "int16";
    case DType::kComplex64: return "complex64";
    case DType::kInt8: return "int8";
    case DType::kFloat64: return "float64";
    case DType::kComplex128: return "complex128";
    case DType::kUInt64: return "uint64";
    case DType::kResource: return "resource";
    case DType::kVariant: return "variant";
    case DType::kUInt32: return "uint32";
    case DType::kUInt16: return "uint16";
    case DType::kInt4: return "int4";
  }
  return "invalid";
}

bool IsValidDType(int value) { return value >= 0 && value <= 17; }

const char* ArithmeticName(Arithmetic arithmetic) {
  return arithmetic == Arithmetic::kXnnpack ? "xnnpack" : "tflite";
}

bool ParseArithmetic(const char* name, Arithmetic* out) {
  const std::string s = name != nullptr ? name : "";
  if (s == "tflite") {
    *out = Arithmetic::kTflite;
  } else if (s == "xnnpack") {
    *out = Arithmetic::kXnnpack;
  } else {
    return false;
  }
  return true;
}

}  // namespace qlite
