#include "tests/support/server_process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace abm::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "abm-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ServerBinary() { return ABM_SERVER_BIN; }
std::string BuiltinPluginDir() { return ABM_PLUGIN_DIR; }
std::string TestPluginDir() { return ABM_TEST_PLUGIN_DIR; }

ServerProcess::ServerProcess(std::string data_dir,
                             std::vector<std::string> extra_flags)
    : data_dir_(std::move(data_dir)), flags_(std::move(extra_flags)) {
  log_path_ = data_dir_ + ".log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

std::string ServerProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ServerProcess::Start(std::string* error) {
  std::vector<std::string> args = {ServerBinary(), "--listen=127.0.0.1:0",
                                   "--data-dir=" + data_dir_};
  bool has_plugin_dir = false;
  for (const auto& f : flags_)
    has_plugin_dir |= f.rfind("--plugin-dir", 0) == 0;
  if (!has_plugin_dir) args.push_back("--plugin-dir=" + BuiltinPluginDir());
  args.insert(args.end(), flags_.begin(), flags_.end());
  { std::ofstream truncate(log_path_, std::ios::trunc); }
  pid_ = fork();
  if (pid_ == 0) {
    FILE* f = freopen(log_path_.c_str(), "a", stderr);
    (void)f;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const std::regex port_re(R"(serving on \S+ \(port (\d+)\))");
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string text = log();
    if (std::regex_search(text, m, port_re)) {
      port_ = std::stoi(m[1]);
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (error) *error = "server exited at start:\n" + text;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (error) *error = "server did not start in time:\n" + log();
  Kill();
  return false;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::shared_ptr<grpc::Channel> ServerProcess::channel() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  return grpc::CreateCustomChannel(address(),
                                   grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<abm::v1::MetricsService::Stub> ServerProcess::metrics() const {
  return abm::v1::MetricsService::NewStub(channel());
}

std::unique_ptr<abm::v1::AdminService::Stub> ServerProcess::admin() const {
  return abm::v1::AdminService::NewStub(channel());
}

}  // namespace abm::testing
