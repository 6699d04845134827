// Test helper: a real abm-server process on loopback with its own data dir.
//
// Start() launches the binary with --listen=127.0.0.1:0 and waits until its
// log names the port. Stop() sends SIGTERM, Kill() SIGKILL; both wait.
#ifndef ABM_TESTS_SUPPORT_SERVER_PROCESS_H_
#define ABM_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "abm/v1/admin.grpc.pb.h"
#include "abm/v1/metrics.grpc.pb.h"

namespace abm::testing {

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // `data_dir` is kept across restarts; extra flags are appended.
  ServerProcess(std::string data_dir,
                std::vector<std::string> extra_flags = {});
  ~ServerProcess();

  // Starts and waits until serving; false (with the log in `error`) if not.
  bool Start(std::string* error = nullptr);
  int Stop();   // SIGTERM, returns the exit status
  void Kill();  // SIGKILL
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const;
  std::shared_ptr<grpc::Channel> channel() const;
  std::unique_ptr<abm::v1::MetricsService::Stub> metrics() const;
  std::unique_ptr<abm::v1::AdminService::Stub> admin() const;

 private:
  std::string data_dir_;
  std::vector<std::string> flags_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Paths of this build, from compile definitions.
std::string ServerBinary();
std::string BuiltinPluginDir();
std::string TestPluginDir();

}  // namespace abm::testing

#endif  // ABM_TESTS_SUPPORT_SERVER_PROCESS_H_
