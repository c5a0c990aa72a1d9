// Options of DEPTH_TO_SPACE, SPACE_TO_DEPTH and MIRROR_PAD (tests and the
// cross-runtime models build them).
#pragma once

#include <cstdint>

namespace qlite {

// DEPTH_TO_SPACE and SPACE_TO_DEPTH: the side of the square block moved
// between depth and space (the schema's default 0 is rejected at prepare).
struct BlockSizeOptions {
  int32_t block_size = 0;
};

enum MirrorPadMode : uint8_t { kMirrorPadReflect = 0, kMirrorPadSymmetric = 1 };

struct MirrorPadOptions {
  uint8_t mode = kMirrorPadReflect;  // REFLECT leaves out the edge value, SYMMETRIC repeats it
};

}  // namespace qlite
