#include "train/progress_bar.h"

#include <unistd.h>
#include <cstdio>

namespace qlite::train {

ProgressBar::ProgressBar(std::string label, int total)
    : label_(std::move(label)), total_(total > 0 ? total : 1), interactive_(isatty(2) != 0) {}

void ProgressBar::Update(int done, const std::string& suffix) {
  if (!interactive_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, suffix, false);
}

void ProgressBar::Finish(int done, const std::string& suffix) { Draw(done, suffix, true); }

void ProgressBar::Draw(int done, const std::string& suffix, bool final_line) {
  const int width = 24;
  const int filled = static_cast<int>(static_cast<long long>(width) * done / total_);
  std::string bar(width, ' ');
  for (int i = 0; i < filled && i < width; ++i) bar[i] = '=';
  if (filled < width) bar[filled] = '>';
  std::fprintf(stderr, "%s%s [%s] %d/%d %s%s", interactive_ ? "\r" : "", label_.c_str(),
               bar.c_str(), done, total_, suffix.c_str(), interactive_ ? "\033[K" : "");
  if (final_line) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace qlite::train
