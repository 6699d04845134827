// Minimal structured logging to stderr: "<UTC time> <LEVEL> message".
// Thread-safe (one write per line). Never pass secrets.
#ifndef ABM_SERVER_LOGGING_H_
#define ABM_SERVER_LOGGING_H_

#include <string_view>

namespace abm::server {

void LogInfo(std::string_view message);
void LogError(std::string_view message);

// Sends protobuf's own log lines through these functions, dropping its
// "invalid UTF-8" parse errors: the ingest path reports those to the client
// as rejections, and a client must not be able to flood the server's log.
void RouteProtobufLogs();

}  // namespace abm::server

#endif  // ABM_SERVER_LOGGING_H_
