// The flexbuffer map reader of custom options: scalars of every width and
// kind with flexbuffers' conversions, and truncated or mutated buffers, which
// must fail or parse without reading outside the bytes (run under ASan).
#include "core/format/flexbuffer_map.h"

#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/util/detection_options.h"

namespace qlite {
namespace {

TEST(FlexbufferMapTest, ReadsScalarsOfEveryWidthAndConverts) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    fbb.Int("small", -3);
    fbb.Int("wide", int64_t{1} << 40);
    fbb.UInt("unsigned", 300);
    fbb.Double("double", 2.5);
    fbb.Float("float", -7.75f);
    fbb.Bool("yes", true);
    fbb.String("text", "hello");
    fbb.IndirectInt("indirect", 77);
    fbb.Null("nothing");
  });
  fbb.Finish();
  const std::vector<uint8_t> bytes = fbb.GetBuffer();
  FlexbufferMap m;
  ASSERT_TRUE(FlexbufferMap::Parse(bytes.data(), bytes.size(), &m).ok());
  EXPECT_EQ(m.Int32("small"), -3);
  EXPECT_EQ(m.Int32("wide"), 0);  // low 32 bits of 2^40
  EXPECT_EQ(m.Int32("unsigned"), 300);
  EXPECT_EQ(m.Float("double"), 2.5f);
  EXPECT_EQ(m.Int32("double"), 2);
  EXPECT_EQ(m.Int32("float"), -7);
  EXPECT_EQ(m.Float("small"), -3.0f);
  EXPECT_TRUE(m.Bool("yes"));
  EXPECT_TRUE(m.Has("text"));
  EXPECT_EQ(m.Int32("text", 9), 0);
  EXPECT_EQ(m.Int32("indirect"), 77);
  EXPECT_FALSE(m.Has("nothing"));
  EXPECT_EQ(m.Int32("absent", 100), 100);
}

TEST(FlexbufferMapTest, TruncatedAndMutatedBuffersNeverReadOutside) {
  const std::vector<uint8_t> good = testing::DetectionOptionBytes({});
  FlexbufferMap m;
  for (size_t n = 0; n < good.size(); ++n) {
    // A prefix loses the root; a suffix keeps it but its offsets point before the start.
    std::vector<uint8_t> prefix(good.begin(), good.begin() + n);
    EXPECT_FALSE(FlexbufferMap::Parse(prefix.data(), prefix.size(), &m).ok() && n > 0) << n;
    std::vector<uint8_t> suffix(good.end() - n, good.end());
    FlexbufferMap::Parse(suffix.data(), suffix.size(), &m);  // may parse; must not crash
  }
  // Every byte set to values that break widths, offsets and lengths. Each
  // copy is exactly sized, so ASan flags any read past it.
  for (size_t i = 0; i < good.size(); ++i) {
    for (int v : {0x00, 0x01, 0x03, 0x07, 0x24, 0x7f, 0x80, 0xfe, 0xff}) {
      std::vector<uint8_t> bad = good;
      bad[i] = static_cast<uint8_t>(v);
      if (FlexbufferMap::Parse(bad.data(), bad.size(), &m).ok()) {
        m.Int32("max_detections");
        m.Float("y_scale");
        m.Bool("use_regular_nms");
      }
    }
  }
}

}  // namespace
}  // namespace qlite
