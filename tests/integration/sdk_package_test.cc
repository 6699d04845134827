// The installed SDK package: install it, build a plugin out of tree with
// find_package(AbmSdk) + abm_add_plugin(), load it into the real server.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {
namespace fs = std::filesystem;

int Shell(const std::string& command) {
  std::cout << "+ " << command << std::endl;
  return std::system(command.c_str());
}

TEST(SdkPackage, OutOfTreePluginBuildsLoadsAndAnswers) {
  TempDir dir;
  const std::string prefix = dir.path() + "/prefix";
  ASSERT_EQ(
      Shell("cmake --install " ABM_BINARY_DIR " --component sdk --prefix " +
            prefix + " > " + dir.path() + "/install.log"),
      0);
  // Only the SDK: headers and the CMake package, nothing from gRPC & co.
  EXPECT_TRUE(fs::exists(prefix + "/include/abm/sdk/plugin.h"));
  const std::string build = dir.path() + "/build";
  ASSERT_EQ(
      Shell("cmake -S " ABM_SOURCE_DIR "/tests/sdk_package/sample_plugin -B " +
            build + " -DCMAKE_PREFIX_PATH=" + prefix + " > " + dir.path() +
            "/configure.log 2>&1"),
      0);
  ASSERT_EQ(
      Shell("cmake --build " + build + " > " + dir.path() + "/build.log 2>&1"),
      0);

  const std::string plugins = dir.path() + "/plugins";
  fs::create_directory(plugins);
  chmod(plugins.c_str(), 0755);
  fs::copy_file(build + "/nps_lite.so", plugins + "/nps_lite.so");
  // Only the two entry points are exported.
  ASSERT_EQ(Shell("nm -D --defined-only " + plugins +
                  "/nps_lite.so | grep -v -E "
                  "' (abm_plugin_abi_version|abm_plugin_create)$' | "
                  "grep -q . && exit 1 || exit 0"),
            0);

  ServerProcess server(dir.path() + "/data", {"--plugin-dir=" + plugins});
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto stub = server.metrics();
  {
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    ASSERT_TRUE(
        stub->Ingest(
                &ctx,
                Batch(
                    {R"({"eventId":"n1","occurredAt":"2026-03-02T10:00:00Z","accountId":"a","nps":{"score":10}})",
                     R"({"eventId":"n2","occurredAt":"2026-03-02T10:00:00Z","accountId":"a","nps":{"score":3}})",
                     R"({"eventId":"n3","occurredAt":"2026-03-02T10:00:00Z","accountId":"a","nps":{"score":9}})",
                     R"({"eventId":"n4","occurredAt":"2026-03-02T10:00:00Z","accountId":"a","nps":{"score":7}})"}),
                &resp)
            .ok());
  }
  grpc::ClientContext ctx;
  abm::v1::QueryRequest req;
  req.set_metric("nps_lite");
  abm::v1::QueryResponse resp;
  ASSERT_TRUE(stub->Query(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.rows_size(), 1);
  EXPECT_EQ(resp.rows(0).count(), 4);
  EXPECT_DOUBLE_EQ(resp.rows(0).value(), 25.0);  // (2 - 1) / 4
}

}  // namespace
}  // namespace abm::testing
