// Representative data from images (tools/lib/image_dataset.h): the bilinear
// resize, colour conversion and normalisation on hand-computed pixels, folder /
// glob / random:N specs, and the errors for bad input, each naming the file.
#include "tools/lib/image_dataset.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "tests/tools/test_images.h"

namespace qlite {
namespace {

using testing::WritePng;

Model ImageModel(const std::vector<std::vector<int32_t>>& shapes) {
  Model m;
  for (size_t i = 0; i < shapes.size(); ++i) {
    TensorDef t;
    t.name = "image" + std::to_string(i);
    t.shape = shapes[i];
    m.tensors.push_back(t);
    m.inputs.push_back(static_cast<int32_t>(i));
  }
  return m;
}

std::vector<uint8_t> Solid(int w, int h, std::vector<uint8_t> rgb) {
  std::vector<uint8_t> pixels;
  for (int p = 0; p < w * h; ++p) pixels.insert(pixels.end(), rgb.begin(), rgb.end());
  return pixels;
}

class ImageDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/qlite_image_dataset_XXXXXX";
    const char* dir = mkdtemp(pattern);
    ASSERT_NE(dir, nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  // Opens `specs` for `model` with the given --color, --mean, --std, --range.
  Status Open(const std::vector<std::string>& specs, const Model& model,
              std::unique_ptr<RepresentativeDataset>* data, const std::string& color = "",
              const std::string& mean = "", const std::string& std = "",
              const std::string& range = "") {
    ImageNormalization n;
    QLITE_RETURN_IF_ERROR(ParseImageNormalization(color, mean, std, range, &n));
    return OpenCliDataset(specs, model, n, data);
  }
  std::vector<float> First(const std::vector<std::string>& specs, const Model& model,
                           const std::string& color = "", const std::string& mean = "",
                           const std::string& std = "", const std::string& range = "") {
    std::unique_ptr<RepresentativeDataset> data;
    const Status s = Open(specs, model, &data, color, mean, std, range);
    EXPECT_TRUE(s.ok()) << s.message();
    if (!s.ok()) return {};
    std::vector<std::vector<float>> sample;
    const Status read = data->Sample(0, &sample);
    EXPECT_TRUE(read.ok()) << read.message();
    return read.ok() ? sample[0] : std::vector<float>();
  }

  std::string dir_;
};

TEST(ResizeBilinearTest, UpscaleUsesHalfPixelCentres) {
  // 2x2 -> 4x4: output centres fall at -0.25 (clamped to 0), 0.25, 0.75 and
  // 1.25 (clamped to 1) input pixels.
  const uint8_t in[] = {0, 100, 200, 40};
  float out[16];
  ResizeBilinear(in, 2, 2, 1, 4, 4, out);
  const float want[16] = {0,   25,      75,     100,  //
                          50,  58.75f,  76.25f, 85,   //
                          150, 126.25f, 78.75f, 55,   //
                          200, 160,     80,     40};
  for (int i = 0; i < 16; ++i) EXPECT_FLOAT_EQ(out[i], want[i]) << i;
}

TEST(ResizeBilinearTest, DownscaleAveragesNeighboursAndKeepsChannels) {
  const uint8_t row[] = {10, 20, 30, 40};
  float out[2];
  ResizeBilinear(row, 1, 4, 1, 1, 2, out);  // centres at 0.5 and 2.5
  EXPECT_FLOAT_EQ(out[0], 15);
  EXPECT_FLOAT_EQ(out[1], 35);
  const uint8_t rgb[] = {1, 2, 3, 250, 251, 252};
  float same[6];
  ResizeBilinear(rgb, 1, 2, 3, 1, 2, same);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(same[i], rgb[i]) << i;
}

TEST_F(ImageDatasetTest, NormalisesEveryChannelAsAsked) {
  const std::string png = dir_ + "/one.png";
  ASSERT_TRUE(WritePng(png, 2, 2, 3, Solid(2, 2, {255, 0, 51})));
  const Model rgb = ImageModel({{1, 3, 3, 3}});  // resized 2x2 -> 3x3: still solid
  auto expect_pixels = [](const std::vector<float>& got, std::vector<float> want) {
    ASSERT_EQ(got.size(), 27u);
    for (size_t k = 0; k < got.size(); ++k) EXPECT_FLOAT_EQ(got[k], want[k % 3]) << k;
  };
  expect_pixels(First({png}, rgb), {1.0f, 0.0f, 0.2f});  // default range 0,1
  expect_pixels(First({png}, rgb, "", "", "", "-1,1"), {1.0f, -1.0f, -0.6f});
  expect_pixels(First({png}, rgb, "bgr"), {0.2f, 0.0f, 1.0f});
  expect_pixels(First({png}, rgb, "rgb", "127.5", "127.5"), {1.0f, -1.0f, -0.6f});
  expect_pixels(First({png}, rgb, "", "0,0,51", "255,1,2"), {1.0f, 0.0f, 0.0f});
  // Gray: stb's luma (77 R + 150 G + 29 B) >> 8 = (19635 + 0 + 1479) >> 8 = 82.
  const std::vector<float> gray = First({png}, ImageModel({{2, 2, 1}}));
  ASSERT_EQ(gray.size(), 4u);
  for (float v : gray) EXPECT_FLOAT_EQ(v, 82.0f / 255.0f);
  EXPECT_EQ(First({png}, ImageModel({{1, 2, 2}})), gray);  // [1, H, W]: gray too
}

TEST_F(ImageDatasetTest, FolderGlobAndRandomSpecs) {
  const std::string folder = dir_ + "/images";
  ASSERT_EQ(mkdir(folder.c_str(), 0755), 0);
  ASSERT_TRUE(WritePng(folder + "/b.png", 3, 2, 3, Solid(3, 2, {255, 255, 255})));
  ASSERT_TRUE(WritePng(folder + "/a.png", 4, 5, 3, Solid(4, 5, {0, 0, 0})));
  std::ofstream(folder + "/labels.txt") << "not an image\n";  // skipped in a folder
  const Model model = ImageModel({{1, 2, 2, 3}});
  for (const std::string& spec : {folder, folder + "/*.png"}) {
    std::unique_ptr<RepresentativeDataset> data;
    const Status s = Open({spec}, model, &data);
    ASSERT_TRUE(s.ok()) << s.message();
    ASSERT_EQ(data->size(), 2);
    std::vector<std::vector<float>> sample;
    ASSERT_TRUE(data->Sample(0, &sample).ok());  // a.png first: sorted by name
    EXPECT_EQ(sample[0], std::vector<float>(12, 0.0f));
    ASSERT_TRUE(data->Sample(1, &sample).ok());
    EXPECT_EQ(sample[0], std::vector<float>(12, 1.0f));
  }
  // random:N with an image folder for a second input; the counts must agree.
  const Model two = ImageModel({{1, 2, 2, 3}, {1, 5}});
  std::unique_ptr<RepresentativeDataset> data;
  Status s = Open({folder, "random:2"}, two, &data, "", "", "", "-1,1");
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<std::vector<float>> first, again;
  ASSERT_TRUE(data->Sample(1, &first).ok());
  ASSERT_TRUE(data->Sample(1, &again).ok());
  ASSERT_EQ(first[1].size(), 5u);
  EXPECT_EQ(first[1], again[1]);  // seeded
  for (float v : first[1]) EXPECT_TRUE(v >= -1.0f && v <= 1.0f) << v;
  s = Open({folder, "random:3"}, two, &data);
  EXPECT_NE(s.message().find("input 0 has 2 samples but input 1 has 3"), std::string::npos)
      << s.message();
}

TEST_F(ImageDatasetTest, BadInputIsAnErrorNamingTheFile) {
  const Model model = ImageModel({{1, 4, 4, 3}});
  std::unique_ptr<RepresentativeDataset> data;
  auto message = [&](const std::vector<std::string>& specs, const std::string& color = "",
                     const std::string& mean = "", const std::string& std = "") {
    return Open(specs, model, &data, color, mean, std).message();
  };
  // A missing folder reads as a missing raw-float32 file (both name the path).
  const std::string missing = dir_ + "/missing";
  EXPECT_NE(message({missing}).find("cannot open '" + missing + "'"), std::string::npos)
      << message({missing});
  EXPECT_NE(message({missing + ".png"}).find("'" + missing + ".png': no such file or folder"),
            std::string::npos);
  const std::string empty = dir_ + "/empty";
  ASSERT_EQ(mkdir(empty.c_str(), 0755), 0);
  EXPECT_NE(message({empty}).find("holds no .png, .jpg, .jpeg or .bmp file"), std::string::npos);
  EXPECT_NE(message({empty + "/*.jpg"}).find("no file matches"), std::string::npos);
  const std::string bad = dir_ + "/bad.png";
  std::ofstream(bad) << "this is not a PNG";
  EXPECT_NE(message({dir_}).find(bad + ": not a PNG, JPEG or BMP image"), std::string::npos)
      << message({dir_});

  // A PNG whose header reads but whose data is cut short fails at decoding.
  const std::string cut_folder = dir_ + "/cut";
  ASSERT_EQ(mkdir(cut_folder.c_str(), 0755), 0);
  const std::string whole = cut_folder + "/whole.png";
  ASSERT_TRUE(WritePng(whole, 8, 8, 3, testing::TestPicture(8, 8, 1)));
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(cut_folder + "/cut.png", std::ios::binary) << bytes.substr(0, 40);
  ASSERT_TRUE(Open({cut_folder}, model, &data).ok());
  std::vector<std::vector<float>> sample;
  const Status decode = data->Sample(0, &sample);  // cut.png sorts first
  EXPECT_NE(decode.message().find(cut_folder + "/cut.png: cannot decode the image"),
            std::string::npos)
      << decode.message();

  EXPECT_NE(message({whole}, "gray").find("--color gray gives 1 channel(s) but input 0"),
            std::string::npos);
  EXPECT_NE(Open({whole}, ImageModel({{1, 4, 4, 1}}), &data, "bgr").message().find("has 1"),
            std::string::npos);
  EXPECT_NE(Open({whole}, ImageModel({{1, 48}}), &data).message().find("need an image input"),
            std::string::npos);
  EXPECT_NE(message({whole}, "", "1,2", "1").find("--mean has 2 values"), std::string::npos);
  EXPECT_NE(message({"random:0"}).find("random:N"), std::string::npos);

  ImageNormalization n;
  EXPECT_FALSE(ParseImageNormalization("cmyk", "", "", "", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "1", "", "", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "1", "0", "", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "1", "2", "0,1", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "", "", "1,0", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "", "", "0,1,2", &n).ok());
  EXPECT_FALSE(ParseImageNormalization("", "a,b", "1", "", &n).ok());
}

}  // namespace
}  // namespace qlite
