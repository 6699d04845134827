#include "server/ingest/committer.h"

#include <malloc.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace abm::server {
namespace {

// Groups larger than this are split over several appends.
constexpr size_t kMaxGroupEvents = 100000;

// Encodes `events` as an abm.v1.EventBatch into `out` (whose encoding is
// the concatenation of its `events` entries), sized once and written in
// place.
void EncodeBatch(const std::vector<const abm::v1::Event*>& events,
                 std::string* out) {
  using google::protobuf::internal::WireFormatLite;
  using google::protobuf::io::CodedOutputStream;
  const uint32_t tag =
      WireFormatLite::MakeTag(abm::v1::EventBatch::kEventsFieldNumber,
                              WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  const size_t tag_size = CodedOutputStream::VarintSize32(tag);
  size_t total = 0;
  for (const abm::v1::Event* e : events) {
    const size_t size = e->ByteSizeLong();  // caches the sizes
    total += tag_size +
             CodedOutputStream::VarintSize32(static_cast<uint32_t>(size)) +
             size;
  }
  out->resize(total);
  uint8_t* p = reinterpret_cast<uint8_t*>(out->data());
  for (const abm::v1::Event* e : events) {
    p = CodedOutputStream::WriteVarint32ToArray(tag, p);
    p = CodedOutputStream::WriteVarint32ToArray(
        static_cast<uint32_t>(e->GetCachedSize()), p);
    p = e->SerializeWithCachedSizesToArray(p);
  }
}

}  // namespace

google::protobuf::ArenaOptions ArenaOptionsFor(size_t encoded_bytes) {
  // Parsed events take about three times their encoding (message objects
  // and string headers); one block fits a typical batch.
  google::protobuf::ArenaOptions options;
  options.start_block_size = std::max<size_t>(4096, 3 * encoded_bytes);
  options.max_block_size = std::max<size_t>(1 << 20, 3 * encoded_bytes);
  return options;
}

// Events applied between two malloc_trim calls.
constexpr size_t kTrimEveryEvents = 1000000;

// Committed groups allowed to wait for the apply thread (back-pressure).
constexpr size_t kMaxCommittedGroups = 2;

Committer::Committer(EventLog* log, PluginHost* host, DedupIndex* dedup)
    : log_(log),
      host_(host),
      dedup_(dedup),
      commit_thread_([this] { RunCommits(); }),
      apply_thread_([this] { RunApplies(); }) {}

Committer::~Committer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  commit_thread_.join();
  {
    std::lock_guard lock(apply_mu_);
    commits_done_ = true;
  }
  apply_cv_.notify_all();
  apply_thread_.join();
}

std::future<CommitOutcome> Committer::Submit(
    std::vector<const abm::v1::Event*> events) {
  Pending p;
  p.events = std::move(events);
  std::future<CommitOutcome> f = p.promise.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      p.promise.set_value(
          CommitOutcome{absl::UnavailableError("server is shutting down")});
      return f;
    }
    queue_.push_back(std::move(p));
  }
  cv_.notify_one();
  return f;
}

void Committer::RunCommits() {
  for (;;) {
    std::vector<Pending> group;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      size_t events = 0;
      while (!queue_.empty() &&
             (group.empty() ||
              events + queue_.front().events.size() <= kMaxGroupEvents)) {
        events += queue_.front().events.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Committed committed = CommitGroup(std::move(group));
    std::unique_lock lock(apply_mu_);
    apply_cv_.wait(lock,
                   [this] { return committed_.size() < kMaxCommittedGroups; });
    committed_.push_back(std::move(committed));
    lock.unlock();
    apply_cv_.notify_all();
  }
}

void Committer::RunApplies() {
  for (;;) {
    Committed c;
    {
      std::unique_lock lock(apply_mu_);
      apply_cv_.wait(lock,
                     [this] { return commits_done_ || !committed_.empty(); });
      if (committed_.empty()) return;
      c = std::move(committed_.front());
      committed_.pop_front();
    }
    apply_cv_.notify_all();  // room for the commit thread
    if (c.status.ok() && !c.accepted.empty()) {
      host_->ApplyCommitted(c.first_seq, c.accepted);
      // Hand freed request and chunk buffers back to the system now and then
      // (glibc keeps them in the heap otherwise).
      since_trim_ += c.accepted.size();
      if (since_trim_ >= kTrimEveryEvents) {
        malloc_trim(0);
        since_trim_ = 0;
      }
    }
    for (Pending& p : c.group) {
      if (!c.status.ok()) p.outcome = CommitOutcome{c.status};
      p.promise.set_value(std::move(p.outcome));
    }
  }
}

Committer::Committed Committer::CommitGroup(std::vector<Pending> group) {
  Committed c;
  inserted_.clear();
  fingerprints_.clear();
  for (const Pending& p : group)
    for (const abm::v1::Event* e : p.events)
      fingerprints_.push_back(FingerprintOf(e->event_id()));
  size_t in_pending = 0;
  auto pending = group.begin();
  dedup_->InsertAll(fingerprints_, [&](size_t i, bool was_new) {
    while (in_pending == pending->events.size()) {
      ++pending;
      in_pending = 0;
    }
    if (was_new) {
      inserted_.push_back(fingerprints_[i]);
      c.accepted.push_back(pending->events[in_pending]);
      ++pending->outcome.accepted;
    } else {
      ++pending->outcome.duplicates;
    }
    ++in_pending;
  });
  if (!c.accepted.empty()) {
    EncodeBatch(c.accepted, &chunk_);
    c.first_seq = log_->next_seq();
    c.status = log_->Append(c.first_seq,
                            static_cast<uint32_t>(c.accepted.size()), chunk_);
    if (!c.status.ok()) {
      for (const Fingerprint& f : inserted_) dedup_->Erase(f);
      c.accepted.clear();
    }
  }
  c.group = std::move(group);
  return c;
}

absl::StatusOr<uint64_t> ReplayLog(EventLog* log, PluginHost* host,
                                   DedupIndex* dedup) {
  // Two stages: a reader thread scans and parses chunks and records their
  // ids; this thread applies them to the host, in order.
  // Each chunk is parsed onto its own arena: its strings and messages are
  // allocated in a few blocks and freed at once, not one by one.
  struct Parsed {
    explicit Parsed(size_t bytes) : arena(ArenaOptionsFor(bytes)) {}
    google::protobuf::Arena arena;
    uint64_t first = 0;
    abm::v1::EventBatch* batch =
        google::protobuf::Arena::CreateMessage<abm::v1::EventBatch>(&arena);
  };
  constexpr size_t kMaxQueued = 4;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::unique_ptr<Parsed>> queue;
  bool reader_done = false;
  absl::Status reader_status;

  dedup->Reserve(log->next_seq());
  std::thread reader([&] {
    uint64_t expected = 0;
    std::vector<Fingerprint> fingerprints;
    absl::Status s = log->Scan(0, [&](uint64_t first, absl::string_view bytes) {
      if (first != expected)
        return absl::DataLossError(absl::StrCat(
            "event log has a gap: expected seq ", expected, ", found ", first));
      auto parsed = std::make_unique<Parsed>(bytes.size());
      parsed->first = first;
      if (!parsed->batch->ParseFromArray(bytes.data(),
                                         static_cast<int>(bytes.size())))
        return absl::DataLossError(
            absl::StrCat("event log chunk at seq ", first, " does not parse"));
      fingerprints.clear();
      for (const auto& e : parsed->batch->events())
        fingerprints.push_back(FingerprintOf(e.event_id()));
      dedup->InsertAll(fingerprints, [](size_t, bool) {});
      expected = first + static_cast<uint64_t>(parsed->batch->events_size());
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return queue.size() < kMaxQueued; });
      queue.push_back(std::move(parsed));
      cv.notify_all();
      return absl::OkStatus();
    });
    std::lock_guard lock(mu);
    reader_status = s;
    reader_done = true;
    cv.notify_all();
  });

  uint64_t replayed = 0;
  std::vector<const abm::v1::Event*> ptrs;
  for (;;) {
    std::unique_ptr<Parsed> parsed;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return reader_done || !queue.empty(); });
      if (queue.empty()) break;
      parsed = std::move(queue.front());
      queue.pop_front();
      cv.notify_all();
    }
    ptrs.clear();
    for (const auto& e : parsed->batch->events()) ptrs.push_back(&e);
    host->ApplyCommitted(parsed->first, ptrs);
    replayed = parsed->first + ptrs.size();
  }
  reader.join();
  if (!reader_status.ok()) return reader_status;
  return replayed;
}

}  // namespace abm::server
