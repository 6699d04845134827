// StateLock: the plugin host's reader-writer lock. Writers (the committer
// applying a chunk, a plugin swap) are preferred: once one waits, new readers
// queue behind it, so a steady stream of queries cannot starve ingestion.
// Not recursive. Satisfies SharedMutex for std::unique_lock/std::shared_lock.
#ifndef ABM_SERVER_PLUGINS_STATE_LOCK_H_
#define ABM_SERVER_PLUGINS_STATE_LOCK_H_

#include <pthread.h>

namespace abm::server {

class StateLock {
 public:
  StateLock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr,
                                  PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~StateLock() { pthread_rwlock_destroy(&lock_); }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_PLUGINS_STATE_LOCK_H_
