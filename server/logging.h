// Minimal structured logging to stderr: "<UTC time> <LEVEL> message".
// Thread-safe (one write per line). Never pass secrets.
#ifndef ABM_SERVER_LOGGING_H_
#define ABM_SERVER_LOGGING_H_

#include <string_view>

namespace abm::server {

void LogInfo(std::string_view message);
void LogError(std::string_view message);

}  // namespace abm::server

#endif  // ABM_SERVER_LOGGING_H_
