#include "core/status.h"

#include <cmath>
#include <cstdint>

namespace qlite::str_internal {

void AppendText(std::string* out, const char* s) { out->append(s != nullptr ? s : "(null)"); }
void AppendText(std::string* out, const std::string& s) { out->append(s); }
void AppendText(std::string* out, std::string_view s) { out->append(s.data(), s.size()); }
void AppendChar(std::string* out, char c) { out->push_back(c); }

void AppendSigned(std::string* out, long long value) { out->append(std::to_string(value)); }
void AppendUnsigned(std::string* out, unsigned long long value) {
  out->append(std::to_string(value));
}

namespace {

// 10^n for 0 <= n <= 22, where the double is exact.
double ExactPowerOf10(int n) {
  double p = 1.0;
  for (int i = 0; i < n; ++i) p *= 10.0;
  return p;
}

// v * 10^k with at most one rounding where |k| <= 22 (exact powers).
double ScaleByPowerOf10(double v, int k) {
  while (k > 22) v *= 1e22, k -= 22;
  while (k < -22) v /= 1e22, k += 22;
  return k >= 0 ? v * ExactPowerOf10(k) : v / ExactPowerOf10(-k);
}

void AppendDigits(std::string* out, uint32_t value, int count) {
  char text[10];
  for (int i = count - 1; i >= 0; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
  out->append(text, count);
}

}  // namespace

// printf's "%g" without printf, whose formatting machinery would cost
// qlite.wasm ~7 KB for error messages and descriptions: the value rounded to
// six significant digits, trailing zeros dropped, exponent form outside
// 1e-4 <= |v| < 1e6. Exact ties round to even as printf does (the scaled
// value is exact there); a value within an ulp or two of a rounding boundary
// may round to the other neighbour, since the scaling itself rounds.
void AppendFloat(std::string* out, double value) {
  if (std::signbit(value)) out->push_back('-');
  const double magnitude = std::fabs(value);
  if (std::isnan(value) || std::isinf(value) || magnitude == 0.0) {
    out->append(std::isnan(value) ? "nan" : std::isinf(value) ? "inf" : "0");
    return;
  }
  int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  double scaled = std::nearbyint(ScaleByPowerOf10(magnitude, 5 - exponent));
  if (scaled < 100000.0) {  // log10 rounded up across a power of 10
    --exponent;
    scaled = std::nearbyint(ScaleByPowerOf10(magnitude, 5 - exponent));
  }
  if (scaled >= 1000000.0) {  // log10 rounded down, or the rounding carried
    ++exponent;
    scaled = std::nearbyint(ScaleByPowerOf10(magnitude, 5 - exponent));
  }
  uint32_t digits = static_cast<uint32_t>(scaled);  // 6 significant digits
  int count = 6;
  while (count > 1 && digits % 10 == 0) digits /= 10, --count;
  const bool fixed = exponent >= -4 && exponent < 6;
  if (fixed && exponent >= count - 1) {  // an integer: digits then zeros
    AppendDigits(out, digits, count);
    out->append(static_cast<size_t>(exponent - (count - 1)), '0');
  } else if (fixed && exponent >= 0) {  // point inside the digits
    std::string text;
    AppendDigits(&text, digits, count);
    text.insert(static_cast<size_t>(exponent) + 1, 1, '.');
    out->append(text);
  } else if (fixed) {  // 0.000ddd
    out->append("0.");
    out->append(static_cast<size_t>(-exponent - 1), '0');
    AppendDigits(out, digits, count);
  } else {  // d.ddddde+XX
    std::string text;
    AppendDigits(&text, digits, count);
    if (count > 1) text.insert(1, 1, '.');
    out->append(text);
    out->push_back('e');
    out->push_back(exponent < 0 ? '-' : '+');
    const int e = std::abs(exponent);
    AppendDigits(out, static_cast<uint32_t>(e), e >= 100 ? 3 : 2);
  }
}

}  // namespace qlite::str_internal
