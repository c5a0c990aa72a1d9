// RESIZE_BILINEAR's and RESIZE_NEAREST_NEIGHBOR's options (tests build them).
#pragma once

namespace qlite {

struct ResizeOptions {
  bool align_corners = false;       // the corner pixels of input and output line up
  bool half_pixel_centers = false;  // pixels are sampled at their centres (x + 0.5)
};

}  // namespace qlite
