// The qlite subcommands: each takes the arguments after its name and returns
// the process exit code (0 = success).
#pragma once

namespace qlite::cli {

int Inspect(int argc, char** argv);
int Run(int argc, char** argv);
int Quantize(int argc, char** argv);
int Train(int argc, char** argv);
int Eval(int argc, char** argv);
int Synth(int argc, char** argv);
int Bench(int argc, char** argv);
int Cut(int argc, char** argv);
int Compare(int argc, char** argv);

}  // namespace qlite::cli
