// ParallelFor: runs n independent tasks on the calling thread plus a small
// pool of persistent workers, and returns when all are done. Tasks are taken
// dynamically (the next free thread takes the next index), so uneven tasks
// balance. Used by the plugin host to apply a chunk to several plugins at
// once: each plugin's Apply still runs on one thread at a time.
// Run() is not re-entrant: one caller at a time.
#ifndef ABM_SERVER_PLUGINS_PARALLEL_FOR_H_
#define ABM_SERVER_PLUGINS_PARALLEL_FOR_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace abm::server {

class ParallelFor {
 public:
  // `workers` extra threads (0: everything runs on the caller).
  explicit ParallelFor(size_t workers);
  ~ParallelFor();

  // Calls task(i, thread) for i in [0, n); `thread` is 0 on the caller and
  // 1..workers on the pool, so per-thread scratch can be indexed by it.
  void Run(size_t n, const std::function<void(size_t, size_t)>& task);
  size_t threads() const { return threads_.size() + 1; }

 private:
  void Work(size_t thread);
  void Drain(size_t thread);

  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  const std::function<void(size_t, size_t)>* task_ = nullptr;  // guarded by mu_
  size_t n_ = 0;
  uint64_t generation_ = 0;  // guarded by mu_
  size_t busy_ = 0;          // guarded by mu_: workers inside a generation
  bool stopping_ = false;    // guarded by mu_
  std::atomic<size_t> next_{0};
  std::vector<std::thread> threads_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_PLUGINS_PARALLEL_FOR_H_
