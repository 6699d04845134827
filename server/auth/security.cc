#include "server/auth/security.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace abm::server {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& flag,
                                    const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return absl::FailedPreconditionError(
        absl::StrCat("--", flag, ": cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:")) return true;
  absl::string_view host = listen;
  if (absl::StartsWith(host, "[")) {
    host = host.substr(
        1, host.find(']') == absl::string_view::npos ? 0 : host.find(']') - 1);
    return host == "::1";
  }
  const size_t colon = host.rfind(':');
  if (colon != absl::string_view::npos) host = host.substr(0, colon);
  return host == "localhost" || absl::StartsWith(host, "127.");
}

absl::StatusOr<Security> ConfigureSecurity(const SecurityOptions& o) {
  Security sec;
  if (!o.auth_tokens.empty()) {
    auto tokens = TokenStore::Load(o.auth_tokens);
    if (!tokens.ok()) return tokens.status();
    sec.tokens = std::make_unique<TokenStore>(std::move(*tokens));
  }
  if (o.tls_cert.empty() != o.tls_key.empty())
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  if (!o.tls_client_ca.empty() && o.tls_cert.empty())
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key");
  if (!o.tls_cert.empty()) {
    auto cert = ReadPem("tls-cert", o.tls_cert);
    if (!cert.ok()) return cert.status();
    auto key = ReadPem("tls-key", o.tls_key);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    if (!o.tls_client_ca.empty()) {
      auto ca = ReadPem("tls-client-ca", o.tls_client_ca);
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
      ssl.client_certificate_request =
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    sec.credentials = grpc::SslServerCredentials(ssl);
    sec.tls = true;
  } else {
    sec.credentials = grpc::InsecureServerCredentials();
  }
  if (!IsLoopbackAddress(o.listen) && !o.insecure && (!sec.tls || !sec.tokens))
    return absl::FailedPreconditionError(
        absl::StrCat("refusing to listen on ", o.listen,
                     ", which is not a loopback address, without TLS "
                     "(--tls-cert, --tls-key) "
                     "and auth (--auth-tokens): the server holds enrollment "
                     "and revenue data. "
                     "Give both, or --insecure to accept the risk"));
  return sec;
}

}  // namespace abm::server
