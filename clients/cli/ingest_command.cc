#include "clients/cli/ingest_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "abm/v1/metrics.grpc.pb.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/ndjson.h"

namespace abm::cli {
namespace {

struct LineRef {
  uint32_t file;
  int64_t line;
};

// Shows events/s and percent of the input on a terminal's stderr.
class Progress {
 public:
  Progress(int64_t total_bytes, bool enabled)
      : total_(total_bytes),
        enabled_(enabled),
        start_(Clock::now()),
        last_(start_) {}

  void Update(int64_t bytes, int64_t events, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? events / secs : 0;
    std::string bar;
    if (total_ > 0) {
      const double f = std::min(1.0, static_cast<double>(bytes) / total_);
      const int filled = static_cast<int>(f * 30);
      bar = absl::StrFormat("[%s%s] %3.0f%% ", std::string(filled, '#'),
                            std::string(30 - filled, '.'), f * 100);
    }
    std::cerr << absl::StrFormat("\r%s%d events  %.0f events/s ", bar, events,
                                 rate)
              << (final ? "\n" : "") << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  int64_t total_;
  bool enabled_;
  Clock::time_point start_, last_;
};

std::string Where(const std::vector<std::string>& files, const LineRef& ref) {
  return files.size() > 1 ? absl::StrCat(files[ref.file], ":", ref.line)
                          : absl::StrCat(ref.line);
}

}  // namespace

int RunIngest(const Client& client, const std::vector<std::string>& files,
              int batch_size, std::ostream& out, std::ostream& err) {
  int64_t total_bytes = 0;
  for (const auto& f : files) {
    struct stat st {};
    if (f != "-" && stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      total_bytes += st.st_size;
  }
  Progress progress(total_bytes, isatty(STDERR_FILENO));

  auto stub = abm::v1::MetricsService::NewStub(client.channel());
  auto ctx = client.Context();
  abm::v1::IngestResponse response;
  auto stream = stub->IngestStream(ctx.get(), &response);

  std::vector<std::vector<LineRef>> batch_lines;  // per sent batch
  abm::v1::IngestRequest batch;
  std::vector<LineRef> lines;
  int64_t client_rejected = 0, bytes = 0, events = 0;
  bool stream_ok = true;

  const auto flush = [&] {
    if (batch.events_size() == 0) return;
    if (stream_ok && !stream->Write(batch)) stream_ok = false;
    batch_lines.push_back(std::move(lines));
    lines.clear();
    batch.Clear();
  };

  for (uint32_t fi = 0; fi < files.size() && stream_ok; ++fi) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (files[fi] != "-") {
      file.open(files[fi]);
      if (!file) {
        err << "error: cannot read " << files[fi] << "\n";
        stream->WritesDone();
        stream->Finish();
        return 1;
      }
      in = &file;
    }
    std::string line;
    for (int64_t n = 1; std::getline(*in, line) && stream_ok; ++n) {
      bytes += static_cast<int64_t>(line.size()) + 1;
      abm::v1::Event* event = batch.add_events();
      absl::StatusOr<bool> parsed = ParseEventLine(line, event);
      if (!parsed.ok() || !*parsed) {
        batch.mutable_events()->RemoveLast();
        if (parsed.ok()) continue;  // a blank line
        ++client_rejected;
        err << Where(files, {fi, n}) << ": " << parsed.status().message()
            << "\n";
        continue;
      }
      lines.push_back({fi, n});
      ++events;
      if (batch.events_size() >= batch_size) flush();
      progress.Update(bytes, events);
    }
  }
  flush();
  progress.Update(bytes, events, true);
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    err << "error: " << DescribeStatus(status) << "\n";
    return 1;
  }
  for (const auto& r : response.rejections()) {
    const auto& refs = batch_lines.at(static_cast<size_t>(r.batch()));
    err << Where(files, refs.at(static_cast<size_t>(r.index()))) << ": "
        << r.reason() << "\n";
  }
  const int64_t rejected = response.rejected() + client_rejected;
  out << "accepted=" << response.accepted()
      << " duplicates=" << response.duplicates() << " rejected=" << rejected
      << "\n";
  return rejected > 0 ? 3 : 0;
}

}  // namespace abm::cli
