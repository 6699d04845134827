#include "server/logging.h"

#include <unistd.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"

namespace abm::server {
namespace {

void Write(const char* level, std::string_view message) {
  std::string line = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                      absl::UTCTimeZone());
  line += ' ';
  line += level;
  line += ' ';
  line.append(message.data(), message.size());
  line += '\n';
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

void LogInfo(std::string_view message) { Write("INFO", message); }
void LogError(std::string_view message) { Write("ERROR", message); }

void RouteProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level,
                                     const char*, int,
                                     const std::string& message) {
    if (message.find("invalid UTF-8") != std::string::npos) return;
    const std::string line = "protobuf: " + message;
    if (level >= google::protobuf::LOGLEVEL_ERROR)
      LogError(line);
    else
      LogInfo(line);
  });
}

}  // namespace abm::server
