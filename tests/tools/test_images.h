// PNG files for the image-calibration tests (stb_image_write, from Debian's
// libstb-dev like the decoder the CLI uses).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qlite::testing {

// Writes h x w x channels interleaved 8-bit pixels as a PNG; false on failure.
bool WritePng(const std::string& path, int w, int h, int channels,
              const std::vector<uint8_t>& pixels);

// A seeded RGB picture: gradients plus noise, different for every seed.
std::vector<uint8_t> TestPicture(int w, int h, uint32_t seed);

}  // namespace qlite::testing
