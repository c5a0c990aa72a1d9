// The demo's state as JSON for tests (window.qliteDemo.state(), --selftest).
#pragma once

#include <string>

namespace qlite::gui {

class DemoApp;

std::string BuildStateJson(const DemoApp& app);
// `text` as a quoted JSON string.
std::string JsonString(const std::string& text);

}  // namespace qlite::gui
