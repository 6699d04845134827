// Access control and transport security of the real server: bearer tokens
// and roles, the tokens file checks, the non-loopback policy, TLS and
// mutual TLS (certificates made with the openssl command in a temp dir).
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

constexpr char kAdmin[] = "tok-admin-0123456789abcdef";
constexpr char kQuery[] = "tok-query-0123456789abcdef";
constexpr char kIngest[] = "tok-ingest-0123456789abcde";

std::string WriteFile(const std::string& path, const std::string& text,
                      mode_t mode) {
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TokensFile(const TempDir& dir) {
  return WriteFile(dir.path() + "/tokens",
                   std::string("# ops team\n") + kAdmin + " admin\n" + kQuery +
                       " query\n" + kIngest + "   ingest,query\n",
                   0600);
}

std::string Port(const ServerProcess& s) {
  const std::string a = s.address();
  return a.substr(a.rfind(':') + 1);
}

grpc::Status Query(abm::v1::MetricsService::Stub* stub,
                   const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  abm::v1::QueryRequest req;
  req.set_metric("nps");
  abm::v1::QueryResponse resp;
  return stub->Query(&ctx, req, &resp);
}

grpc::Status Ingest(abm::v1::MetricsService::Stub* stub,
                    const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  abm::v1::IngestResponse resp;
  return stub->Ingest(
      &ctx,
      Batch(
          {R"({"eventId":"s1","occurredAt":"2026-03-01T00:00:00Z","accountId":"a","nps":{"score":9}})"}),
      &resp);
}

grpc::Status Stats(abm::v1::AdminService::Stub* stub,
                   const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  abm::v1::GetStatsResponse resp;
  return stub->GetStats(&ctx, {}, &resp);
}

TEST(Auth, TokensAndRoles) {
  TempDir dir;
  ServerProcess server(dir.path() + "/data",
                       {"--auth-tokens=" + TokensFile(dir)});
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto metrics = server.metrics();
  auto admin = server.admin();
  EXPECT_EQ(Query(metrics.get(), "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Query(metrics.get(), "tok-wrong-0123456789abcdef").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Query(metrics.get(), kQuery).ok());
  EXPECT_EQ(Ingest(metrics.get(), kQuery).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Ingest(metrics.get(), kIngest).ok());
  EXPECT_TRUE(Query(metrics.get(), kIngest).ok());
  EXPECT_EQ(Stats(admin.get(), kIngest).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Stats(admin.get(), kAdmin).ok());
  EXPECT_TRUE(Ingest(metrics.get(), kAdmin).ok());  // admin implies all
  EXPECT_TRUE(Query(metrics.get(), kAdmin).ok());

  // Health needs no token.
  EXPECT_EQ(std::system((std::string(ABMCTL_BIN) + " --server=" +
                         server.address() + " health >/dev/null 2>&1")
                            .c_str()),
            0);
  // abmctl sends --token.
  EXPECT_EQ(
      std::system((std::string(ABMCTL_BIN) + " --server=" + server.address() +
                   " --token=" + kQuery + " query nps >/dev/null 2>&1")
                      .c_str()),
      0);
  const std::string log = server.log();
  EXPECT_EQ(log.find("tok-"), std::string::npos) << "a token reached the log";
  EXPECT_NE(log.find("auth on (3 tokens)"), std::string::npos) << log;
}

TEST(Auth, RefusesAMalformedOrExposedTokensFile) {
  TempDir dir;
  const std::string bad =
      WriteFile(dir.path() + "/bad",
                std::string(kAdmin) + " admin\nnot-a-valid-line\n", 0600);
  ServerProcess s1(dir.path() + "/d1", {"--auth-tokens=" + bad});
  std::string error;
  EXPECT_FALSE(s1.Start(&error));
  EXPECT_NE(error.find("bad:2:"), std::string::npos) << error;

  const std::string role =
      WriteFile(dir.path() + "/role", std::string(kAdmin) + " root\n", 0600);
  ServerProcess s2(dir.path() + "/d2", {"--auth-tokens=" + role});
  EXPECT_FALSE(s2.Start(&error));
  EXPECT_NE(error.find("unknown role 'root'"), std::string::npos) << error;

  const std::string open =
      WriteFile(dir.path() + "/open", std::string(kAdmin) + " admin\n", 0644);
  ServerProcess s3(dir.path() + "/d3", {"--auth-tokens=" + open});
  EXPECT_FALSE(s3.Start(&error));
  EXPECT_NE(error.find("readable or writable by others"), std::string::npos)
      << error;
}

TEST(Listen, NonLoopbackNeedsTlsAndAuthOrInsecure) {
  TempDir dir;
  ServerProcess refused(dir.path() + "/d1", {"--listen=0.0.0.0:0"});
  std::string error;
  EXPECT_FALSE(refused.Start(&error));
  EXPECT_NE(error.find("not a loopback address"), std::string::npos) << error;
  ServerProcess allowed(dir.path() + "/d2",
                        {"--listen=0.0.0.0:0", "--insecure"});
  EXPECT_TRUE(allowed.Start(&error)) << error;
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string d = dir_.path();
    const std::string script =
        "cd " + d +
        " && "
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
        "-days 2 "
        "  -subj /CN=abm-test-ca && "
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out "
        "server.csr "
        "  -subj /CN=localhost && "
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial "
        "  -out server.pem -days 2 -extfile server.ext && "
        "openssl req -newkey rsa:2048 -nodes -keyout client.key -out "
        "client.csr "
        "  -subj /CN=client && "
        "printf 'extendedKeyUsage=clientAuth\\n' > client.ext && "
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial "
        "  -out client.pem -days 2 -extfile client.ext";
    ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0);
  }

  std::unique_ptr<abm::v1::MetricsService::Stub> TlsStub(const ServerProcess& s,
                                                         bool client_cert) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(dir_.path() + "/ca.pem");
    if (client_cert) {
      ssl.pem_private_key = ReadFile(dir_.path() + "/client.key");
      ssl.pem_cert_chain = ReadFile(dir_.path() + "/client.pem");
    }
    return abm::v1::MetricsService::NewStub(
        grpc::CreateChannel("localhost:" + Port(s), grpc::SslCredentials(ssl)));
  }

  std::vector<std::string> TlsFlags() {
    return {"--tls-cert=" + dir_.path() + "/server.pem",
            "--tls-key=" + dir_.path() + "/server.key"};
  }

  TempDir dir_;
};

TEST_F(Tls, ServesTlsToClientsThatTrustTheCa) {
  ServerProcess server(dir_.path() + "/data", TlsFlags());
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  EXPECT_TRUE(Query(TlsStub(server, false).get(), "").ok());
  // A plaintext client cannot talk to it.
  EXPECT_FALSE(Query(server.metrics().get(), "").ok());
  EXPECT_EQ(std::system((std::string(ABMCTL_BIN) + " --server=localhost:" +
                         Port(server) + " --tls-ca=" + dir_.path() +
                         "/ca.pem query nps >/dev/null 2>&1")
                            .c_str()),
            0);
}

TEST_F(Tls, MutualTlsRequiresAClientCertificate) {
  auto flags = TlsFlags();
  flags.push_back("--tls-client-ca=" + dir_.path() + "/ca.pem");
  ServerProcess server(dir_.path() + "/data", flags);
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  EXPECT_FALSE(Query(TlsStub(server, false).get(), "").ok());
  EXPECT_TRUE(Query(TlsStub(server, true).get(), "").ok());
}

TEST_F(Tls, PublicAddressWithTlsAndAuthStarts) {
  auto flags = TlsFlags();
  TempDir tokens_dir;
  flags.push_back("--listen=0.0.0.0:0");
  flags.push_back("--auth-tokens=" + TokensFile(tokens_dir));
  ServerProcess server(dir_.path() + "/data", flags);
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto stub = TlsStub(server, false);
  EXPECT_EQ(Query(stub.get(), "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Query(stub.get(), kQuery).ok());
}

}  // namespace
}  // namespace abm::testing
