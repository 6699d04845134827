// abmctl against the real server: exit codes, the ingest summary line,
// rejected-line numbers, JSON/CSV/table output and the plugins commands.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

struct Result {
  int code;
  std::string out, err;
};

class AbmctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/data");
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
  }

  Result Run(const std::string& args, const std::string& server = "") {
    const std::string out = dir_.path() + "/out", err = dir_.path() + "/err";
    const std::string cmd =
        std::string(ABMCTL_BIN) +
        " --server=" + (server.empty() ? server_->address() : server) + " " +
        args + " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), Read(out), Read(err)};
  }

  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

constexpr char kGood[] =
    R"({"eventId":"e1","occurredAt":"2026-03-02T10:00:00Z","accountId":"a1","nps":{"score":10}})";
constexpr char kGood2[] =
    R"({"eventId":"e2","occurredAt":"2026-03-03T10:00:00Z","accountId":"a2","nps":{"score":3}})";

TEST_F(AbmctlTest, HealthAndUnreachableServer) {
  EXPECT_EQ(Run("health").code, 0);
  Result r = Run("health", "127.0.0.1:1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;
}

TEST_F(AbmctlTest, IngestReportsSummaryAndRejectedLineNumbers) {
  const std::string file = Write(
      "events.ndjson",
      std::string(kGood) + "\n" +
          "this is not json\n"
          "\n" +  // blank lines are skipped, but still counted as lines
          R"({"eventId":"bad","occurredAt":"2026-03-02T10:00:00Z","accountId":"a1","nps":{"score":11}})"
          "\n" +
          kGood + "\n" + kGood2 + "\n");
  Result r = Run("ingest " + file);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.out.find("accepted=2 duplicates=1 rejected=2\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("2: not a valid event"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("4: nps.score"), std::string::npos) << r.err;

  // A clean file exits 0; retrying is safe.
  const std::string clean =
      Write("clean.ndjson", std::string(kGood) + "\n" + kGood2 + "\n");
  r = Run("ingest " + clean);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("accepted=0 duplicates=2 rejected=0"), std::string::npos)
      << r.out;
  EXPECT_EQ(Run("ingest " + clean, "127.0.0.1:1").code, 1);
}

TEST_F(AbmctlTest, IngestFromStdinInSmallBatches) {
  const std::string file =
      Write("e.ndjson", std::string(kGood) + "\n" + kGood2 + "\n");
  Result r = Run("ingest --batch=1 - < " + file);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted=2 duplicates=0 rejected=0"),
            std::string::npos);
}

TEST_F(AbmctlTest, QueryOutputs) {
  Run("ingest " + Write("e.ndjson", std::string(kGood) + "\n" + kGood2 + "\n"));
  Result r = Run(
      "query nps --from=2026-03-01 --to=2026-04-01 --scope=all --output=json");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"rows\":[{\"labels\":{},\"count\":\"2\",\"value\":0}]}\n");
  r = Run(
      "query nps --from=2026-03-01 --to=2026-03-05 --interval=2d --scope=all "
      "--output=csv");
  EXPECT_EQ(r.out,
            "bucket_start,value,count\n"
            "2026-03-01T00:00:00Z,100,1\n"
            "2026-03-03T00:00:00Z,-100,1\n");
  r = Run(
      "query nps --from=2026-03-01 --to=2026-03-05 --interval=48h --scope=all "
      "--output=table");
  EXPECT_NE(r.out.find("bucket_start"), std::string::npos);
  EXPECT_NE(r.out.find("█"), std::string::npos) << r.out;  // the sparkline
  r = Run("query nps --scope=all --param=x=1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT"), std::string::npos);
  EXPECT_NE(r.err.find("params.x"), std::string::npos) << r.err;
  EXPECT_EQ(Run("query nps --interval=7x").code, 2);
}

TEST_F(AbmctlTest, MetricsPluginsAndStats) {
  Result r = Run("metrics --output=table");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("content_influence"), std::string::npos);
  EXPECT_NE(r.out.find("model=linear"), std::string::npos);
  r = Run("plugins list --output=table");
  EXPECT_NE(r.out.find("pipeline"), std::string::npos);
  EXPECT_EQ(Run("plugins unload brand").code, 0);
  r = Run("query nps");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos);
  r = Run("plugins load brand");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded brand"), std::string::npos);
  EXPECT_EQ(Run("plugins reload brand").code, 0);
  r = Run("plugins load ../brand");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT"), std::string::npos);
  r = Run("stats --output=json");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("\"eventsStored\""), std::string::npos) << r.out;
  EXPECT_EQ(Run("frobnicate").code, 2);
}

}  // namespace
}  // namespace abm::testing
