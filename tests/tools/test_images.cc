#include "tests/tools/test_images.h"

#include <random>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace qlite::testing {

bool WritePng(const std::string& path, int w, int h, int channels,
              const std::vector<uint8_t>& pixels) {
  if (pixels.size() != static_cast<size_t>(w) * h * channels) return false;
  return stbi_write_png(path.c_str(), w, h, channels, pixels.data(), w * channels) != 0;
}

std::vector<uint8_t> TestPicture(int w, int h, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-20, 20);
  std::vector<uint8_t> pixels(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int base[3] = {255 * x / w, 255 * y / h, static_cast<int>(seed * 37 % 256)};
      for (int c = 0; c < 3; ++c) {
        const int v = base[c] + noise(rng);
        pixels[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(v < 0     ? 0
                                                                                : v > 255 ? 255
                                                                                          : v);
      }
    }
  }
  return pixels;
}

}  // namespace qlite::testing
