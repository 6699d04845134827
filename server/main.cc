// abm-server: the ABM metrics gRPC server.
#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <malloc.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/auth/security.h"
#include "server/ingest/committer.h"
#include "server/log/sqlite_event_log.h"
#include "server/logging.h"
#include "server/plugins/plugin_host.h"
#include "server/query/query_engine.h"
#include "server/rpc/admin_service.h"
#include "server/rpc/metrics_service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "address:port to serve gRPC on");
ABSL_FLAG(std::string, data_dir, "./abm-data", "directory of the event log");
ABSL_FLAG(std::string, plugin_dir, "",
          "directory of plugin .so files (default: the built-in plugins of "
          "this build or install)");
ABSL_FLAG(std::string, plugins, "",
          "comma-separated plugins to load at start (default: all in the "
          "plugin dir; 'none' for none)");

ABSL_FLAG(std::string, auth_tokens, "",
          "file of 'TOKEN ROLE[,ROLE...]' lines (roles ingest, query, admin); "
          "turns bearer-token auth on");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls-cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA: require client certificates signed by it (mutual TLS)");
ABSL_FLAG(bool, insecure, false,
          "allow a non-loopback --listen without TLS and auth");

namespace fs = std::filesystem;
using abm::server::LogError;
using abm::server::LogInfo;

namespace {

std::string DefaultPluginDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path bin = exe.parent_path();
  for (const fs::path& candidate :
       {bin / ".." / "plugins", bin / ".." / "lib" / "abm" / "plugins"}) {
    if (fs::is_directory(candidate, ec))
      return fs::weakly_canonical(candidate, ec).string();
  }
  return (bin / ".." / "lib" / "abm" / "plugins").string();
}

// Accepts --data-dir as well as --data_dir: absl flag names are identifiers.
std::vector<char*> NormalizeFlagNames(int argc, char** argv,
                                      std::vector<std::string>* storage) {
  storage->reserve(argc);
  std::vector<char*> out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && arg.rfind("--", 0) == 0) {
      const size_t end = std::min(arg.find('='), arg.size());
      for (size_t j = 2; j < end; ++j)
        if (arg[j] == '-') arg[j] = '_';
    }
    storage->push_back(std::move(arg));
    out.push_back(storage->back().data());
  }
  return out;
}

int Fail(const absl::Status& s) {
  LogError(std::string(s.message()));
  return 1;
}

// Holds an exclusive lock on the data dir for the life of the process.
absl::Status LockDataDir(const std::string& dir) {
  const std::string path = (fs::path(dir) / "LOCK").string();
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", dir, " is in use by another abm-server (", path, ")"));
  return absl::OkStatus();  // fd intentionally kept open
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "ABM metrics server.\nUsage: abm-server [--listen=HOST:PORT] "
      "[--data-dir=DIR] [--plugin-dir=DIR] [--plugins=a,b] "
      "[--auth-tokens=FILE] "
      "[--tls-cert=PEM --tls-key=PEM [--tls-client-ca=PEM]] [--insecure]");
  std::vector<std::string> arg_storage;
  std::vector<char*> args = NormalizeFlagNames(argc, argv, &arg_storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());

  // Keep freed memory in the heap: ingest allocates and frees ~100 KiB
  // buffers per batch, which glibc would otherwise map and unmap (and the
  // kernel zero) every time.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  abm::server::RouteProtobufLogs();
  mallopt(M_TRIM_THRESHOLD, 32 << 20);

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  abm::server::SecurityOptions security_options;
  security_options.listen = absl::GetFlag(FLAGS_listen);
  security_options.auth_tokens = absl::GetFlag(FLAGS_auth_tokens);
  security_options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  security_options.tls_key = absl::GetFlag(FLAGS_tls_key);
  security_options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  security_options.insecure = absl::GetFlag(FLAGS_insecure);
  auto security = abm::server::ConfigureSecurity(security_options);
  if (!security.ok()) return Fail(security.status());

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec)
    return Fail(absl::UnavailableError(
        absl::StrCat("cannot create data dir ", data_dir, ": ", ec.message())));
  if (auto s = LockDataDir(data_dir); !s.ok()) return Fail(s);

  auto log = abm::server::SqliteEventLog::Open(
      (fs::path(data_dir) / "events.db").string());
  if (!log.ok()) return Fail(log.status());

  std::string plugin_dir = absl::GetFlag(FLAGS_plugin_dir);
  if (plugin_dir.empty()) plugin_dir = DefaultPluginDir();
  auto loader = abm::server::PluginLoader::Create(plugin_dir);
  if (!loader.ok()) return Fail(loader.status());

  abm::server::PluginHost host(log->get(), loader->get());
  std::vector<std::string> wanted;
  for (absl::string_view p : absl::StrSplit(absl::GetFlag(FLAGS_plugins), ',',
                                            absl::SkipWhitespace()))
    wanted.emplace_back(p);
  const bool load_none = wanted.size() == 1 && wanted[0] == "none";
  if (!load_none) {
    if (auto s = host.LoadAtStartup(wanted); !s.ok()) return Fail(s);
  }

  abm::server::DedupIndex dedup;
  const auto replay_start = std::chrono::steady_clock::now();
  auto replayed = abm::server::ReplayLog(log->get(), &host, &dedup);
  if (!replayed.ok()) return Fail(replayed.status());
  const double replay_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    replay_start)
          .count();
  LogInfo(absl::StrCat("replayed ", *replayed, " events in ", replay_seconds,
                       " s (",
                       replay_seconds > 0 ? *replayed / replay_seconds : 0,
                       " events/s); ", host.account_count(), " accounts"));

  abm::server::Committer committer(log->get(), &host, &dedup);
  abm::server::QueryEngine engine(&host);
  const abm::server::TokenStore* tokens = security->tokens.get();
  abm::server::MetricsService metrics(&committer, &host, &engine, tokens);
  abm::server::AdminService admin(&host, log->get(), replay_seconds, tokens);

  grpc::EnableDefaultHealthCheckService(true);
  // Reflection cannot check tokens: with auth on it stays off.
  if (tokens == nullptr)
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), security->credentials,
                           &port);
  builder.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  // Idle sync-server threads re-check for shutdown this often (default 10 s).
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  builder.RegisterService(&metrics);
  builder.RegisterService(&admin);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0)
    return Fail(absl::UnavailableError(
        absl::StrCat("cannot listen on ", absl::GetFlag(FLAGS_listen))));
  LogInfo(absl::StrCat(
      "serving on ", absl::GetFlag(FLAGS_listen), " (port ", port,
      "), data dir ", data_dir, ", plugin dir ", (*loader)->plugin_dir(),
      security->tls ? ", TLS" : ", plaintext",
      tokens ? absl::StrCat(", auth on (", tokens->size(), " tokens)")
             : std::string(", auth off")));

  int sig = 0;
  sigwait(&stop_signals, &sig);
  LogInfo(absl::StrCat("received signal ", sig, "; shutting down"));
  const auto shutdown_start = std::chrono::steady_clock::now();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  server->Wait();
  LogInfo(absl::StrCat("stopped; shutdown took ",
                       std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - shutdown_start)
                           .count(),
                       " s"));
  return 0;
}
