#include "server/plugins/parallel_for.h"

namespace abm::server {

ParallelFor::ParallelFor(size_t workers) {
  for (size_t i = 0; i < workers; ++i)
    threads_.emplace_back([this, i] { Work(i + 1); });
}

ParallelFor::~ParallelFor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ParallelFor::Drain(size_t thread) {
  for (size_t i = next_.fetch_add(1); i < n_; i = next_.fetch_add(1))
    (*task_)(i, thread);
}

void ParallelFor::Run(size_t n,
                      const std::function<void(size_t, size_t)>& task) {
  if (threads_.empty() || n <= 1) {
    for (size_t i = 0; i < n; ++i) task(i, 0);
    return;
  }
  {
    std::lock_guard lock(mu_);
    task_ = &task;
    n_ = n;
    next_ = 0;
    busy_ = threads_.size();
    ++generation_;
  }
  start_cv_.notify_all();
  Drain(0);
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [this] { return busy_ == 0; });
  task_ = nullptr;
}

void ParallelFor::Work(size_t thread) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      start_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    Drain(thread);
    {
      std::lock_guard lock(mu_);
      --busy_;
    }
    done_cv_.notify_one();
  }
}

}  // namespace abm::server
