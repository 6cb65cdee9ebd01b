// genesys_exporter: flags, config, App, run. Everything else lives in the libraries.
#include "exporter/app/run_main.h"

int main(int argc, char** argv) { return gx::RunMain(std::vector<std::string>(argv + 1, argv + argc)); }
