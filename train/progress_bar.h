// A one-line progress bar on stderr: "label [=====>    ] 123/456 suffix".
// On a terminal it redraws at most ~10 times a second; otherwise (logs, CI)
// only the final line is written.
#pragma once

#include <chrono>
#include <string>

namespace qlite::train {

class ProgressBar {
 public:
  ProgressBar(std::string label, int total);
  void Update(int done, const std::string& suffix);
  // Draws the final state and ends the line.
  void Finish(int done, const std::string& suffix);

 private:
  void Draw(int done, const std::string& suffix, bool final_line);
  std::string label_;
  int total_;
  bool interactive_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace qlite::train
