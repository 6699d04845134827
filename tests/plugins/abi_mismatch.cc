// Test plugin: claims SDK ABI 99.0, so the host must refuse it without
// calling its factory.
#include <cstdint>
#include <cstdlib>

#include "abm/sdk/sdk.h"

namespace {
uint32_t Version() { return (99u << 16) | 0u; }
abm::sdk::Plugin* Create() { std::abort(); }  // must never be called
}  // namespace

extern "C" {
__attribute__((visibility("default"), section("boostdll")))
const void* abm_plugin_abi_version = reinterpret_cast<const void*>(&Version);
__attribute__((visibility("default"), section("boostdll")))
const void* abm_plugin_create = reinterpret_cast<const void*>(&Create);
}
