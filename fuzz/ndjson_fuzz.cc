// Fuzz target: abmctl's NDJSON line parsing, line by line as `ingest` reads.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "clients/cli/ndjson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  abm::v1::Event event;
  while (std::getline(in, line)) (void)abm::cli::ParseEventLine(line, &event);
  return 0;
}
