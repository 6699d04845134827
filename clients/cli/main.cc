// abmctl: the admin and query command line for the ABM metrics server.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "abm/v1/admin.grpc.pb.h"
#include "abm/v1/metrics.grpc.pb.h"
#include "absl/strings/str_split.h"
#include "clients/cli/args.h"
#include "clients/cli/client.h"
#include "clients/cli/ingest_command.h"
#include "clients/cli/output.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace abm::cli {
namespace {

constexpr char kUsage[] =
    R"(usage: abmctl [--server=HOST:PORT] [--token=T] [--tls-ca=FILE] COMMAND ...

  health                         exit 0 when the server reports SERVING
  ingest FILE... | -             NDJSON events, sent in batches (--batch=1000)
  query METRIC [--from=RFC3339] [--to=RFC3339] [--interval=DURATION]
               [--group-by=DIM[,DIM...]] [--scope=target|all] [--param=K=V ...]
               [--output=table|json|csv] [--timeout=SECONDS]
  metrics [--output=table|json|csv]
  plugins list | load NAME | unload NAME | reload NAME
  stats [--output=table|json]

--server defaults to $ABM_SERVER, else 127.0.0.1:50051; --token to $ABM_TOKEN.
DURATION takes s, m, h or d (90m, 36h, 7d). Times are RFC 3339 or a date.
Exit codes: 0 ok, 1 server error or unreachable, 2 usage, 3 rejected lines.
)";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "abmctl: " << problem << "\n\n";
  std::cerr << kUsage;
  return 2;
}

int Failed(const grpc::Status& status) {
  std::cerr << "error: " << DescribeStatus(status) << "\n";
  return 1;
}

int Health(const Client& client) {
  auto stub = grpc::health::v1::Health::NewStub(client.channel());
  auto ctx = client.Context(5);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(ctx.get(), req, &resp);
  if (!s.ok()) return Failed(s);
  const bool serving =
      resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::cout << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 1;
}

int Query(const Client& client, const Args& args, Format format) {
  if (args.positional.size() != 2)
    return Usage("query needs exactly one METRIC");
  abm::v1::QueryRequest req;
  req.set_metric(args.positional[1]);
  if (auto v = args.Get("from")) {
    auto t = ParseTime(*v);
    if (!t.ok())
      return Usage(std::string("--from: ") + std::string(t.status().message()));
    *req.mutable_from() = *t;
  }
  if (auto v = args.Get("to")) {
    auto t = ParseTime(*v);
    if (!t.ok())
      return Usage(std::string("--to: ") + std::string(t.status().message()));
    *req.mutable_to() = *t;
  }
  if (auto v = args.Get("interval")) {
    auto d = ParseDuration(*v);
    if (!d.ok())
      return Usage(std::string("--interval: ") +
                   std::string(d.status().message()));
    *req.mutable_interval() = *d;
  }
  for (const auto& g : args.All("group-by"))
    for (absl::string_view dim : absl::StrSplit(g, ',', absl::SkipEmpty()))
      req.add_group_by(std::string(dim));
  if (auto v = args.Get("scope")) req.set_scope(*v);
  for (const auto& p : args.All("param")) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return Usage("--param takes K=V, got '" + p + "'");
    (*req.mutable_params())[p.substr(0, eq)] = p.substr(eq + 1);
  }
  double timeout = 0;
  if (auto v = args.Get("timeout")) timeout = std::atof(v->c_str());
  auto stub = abm::v1::MetricsService::NewStub(client.channel());
  auto ctx = client.Context(timeout);
  abm::v1::QueryResponse resp;
  grpc::Status s = stub->Query(ctx.get(), req, &resp);
  if (!s.ok()) return Failed(s);
  PrintRows(resp, format, std::cout);
  return 0;
}

int Metrics(const Client& client, Format format) {
  auto stub = abm::v1::MetricsService::NewStub(client.channel());
  auto ctx = client.Context(30);
  abm::v1::ListMetricsResponse resp;
  grpc::Status s = stub->ListMetrics(ctx.get(), {}, &resp);
  if (!s.ok()) return Failed(s);
  PrintMetrics(resp, format, std::cout);
  return 0;
}

int Plugins(const Client& client, const Args& args, Format format) {
  auto stub = abm::v1::AdminService::NewStub(client.channel());
  const std::string sub =
      args.positional.size() > 1 ? args.positional[1] : "list";
  if (sub == "list") {
    auto ctx = client.Context(30);
    abm::v1::ListPluginsResponse resp;
    grpc::Status s = stub->ListPlugins(ctx.get(), {}, &resp);
    if (!s.ok()) return Failed(s);
    if (format == Format::kJson)
      std::cout << ToJson(resp) << "\n";
    else
      PrintPlugins(resp.plugins(), format, std::cout);
    return 0;
  }
  if (args.positional.size() != 3)
    return Usage("plugins " + sub + " needs a NAME");
  abm::v1::PluginRequest req;
  req.set_name(args.positional[2]);
  abm::v1::PluginResponse resp;
  auto ctx = client.Context();
  grpc::Status s;
  if (sub == "load")
    s = stub->LoadPlugin(ctx.get(), req, &resp);
  else if (sub == "unload")
    s = stub->UnloadPlugin(ctx.get(), req, &resp);
  else if (sub == "reload")
    s = stub->ReloadPlugin(ctx.get(), req, &resp);
  else
    return Usage("unknown plugins command '" + sub + "'");
  if (!s.ok()) return Failed(s);
  std::cout << sub << "ed " << resp.plugin().name() << " "
            << resp.plugin().version();
  if (sub != "unload")
    std::cout << " (" << resp.plugin().events_applied()
              << " events back-filled in " << resp.backfill_seconds() << " s)";
  std::cout << "\n";
  return 0;
}

int Stats(const Client& client, Format format) {
  auto stub = abm::v1::AdminService::NewStub(client.channel());
  auto ctx = client.Context(30);
  abm::v1::GetStatsResponse resp;
  grpc::Status s = stub->GetStats(ctx.get(), {}, &resp);
  if (!s.ok()) return Failed(s);
  if (format == Format::kJson) {
    std::cout << ToJson(resp) << "\n";
    return 0;
  }
  std::cout << "events_stored   " << resp.events_stored() << "\n"
            << "accounts        " << resp.accounts() << "\n"
            << "contacts        " << resp.contacts() << "\n"
            << "uptime_seconds  " << resp.uptime_seconds() << "\n"
            << "replay_seconds  " << resp.replay_seconds() << "\n\n";
  PrintPlugins(resp.plugins(), Format::kTable, std::cout);
  return 0;
}

int Run(int argc, char** argv) {
  auto parsed = ParseArgs(argc, argv);
  if (!parsed.ok()) return Usage(std::string(parsed.status().message()));
  const Args& args = *parsed;
  if (args.Has("help") || args.positional.empty()) return Usage("");
  ClientOptions options;
  const char* env_server = std::getenv("ABM_SERVER");
  const char* env_token = std::getenv("ABM_TOKEN");
  options.server =
      args.Get("server").value_or(env_server ? env_server : "127.0.0.1:50051");
  options.token = args.Get("token").value_or(env_token ? env_token : "");
  options.tls_ca = args.Get("tls-ca").value_or("");
  auto format =
      ParseFormat(args.Get("output").value_or(""), isatty(STDOUT_FILENO));
  if (!format.ok()) return Usage(std::string(format.status().message()));
  auto client = Client::Connect(options);
  if (!client.ok()) return Usage(std::string(client.status().message()));

  const std::string& command = args.positional[0];
  if (command == "health") return Health(*client);
  if (command == "query") return Query(*client, args, *format);
  if (command == "metrics") return Metrics(*client, *format);
  if (command == "plugins") return Plugins(*client, args, *format);
  if (command == "stats") return Stats(*client, *format);
  if (command == "ingest") {
    std::vector<std::string> files(args.positional.begin() + 1,
                                   args.positional.end());
    if (files.empty()) return Usage("ingest needs FILE... or -");
    int batch = 1000;
    if (auto v = args.Get("batch")) batch = std::atoi(v->c_str());
    if (batch < 1 || batch > 10000) return Usage("--batch must be in 1..10000");
    return RunIngest(*client, files, batch, std::cout, std::cerr);
  }
  return Usage("unknown command '" + command + "'");
}

}  // namespace
}  // namespace abm::cli

int main(int argc, char** argv) { return abm::cli::Run(argc, argv); }
