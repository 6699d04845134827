// ABI version of the plugin SDK.
//
// Every plugin exports the version it was compiled against (see ABM_PLUGIN in
// plugin.h). The host accepts a plugin whose major equals its own and whose
// minor is not newer than its own, and refuses any other before calling into
// it. Bump the major on any change to the layout of a type that crosses the
// boundary (events, directory, query, rows, plugin vtable); bump the minor on
// additions the host can detect.
#ifndef ABM_SDK_VERSION_H_
#define ABM_SDK_VERSION_H_

#include <cstdint>
#include <string>

#define ABM_SDK_ABI_MAJOR 1
#define ABM_SDK_ABI_MINOR 0

namespace abm::sdk {

constexpr uint32_t kAbiMajor = ABM_SDK_ABI_MAJOR;
constexpr uint32_t kAbiMinor = ABM_SDK_ABI_MINOR;
// Packed as major << 16 | minor.
constexpr uint32_t kAbiVersion = (kAbiMajor << 16) | kAbiMinor;

inline uint32_t AbiMajor(uint32_t v) { return v >> 16; }
inline uint32_t AbiMinor(uint32_t v) { return v & 0xffffu; }
inline std::string AbiString(uint32_t v) {
  return std::to_string(AbiMajor(v)) + "." + std::to_string(AbiMinor(v));
}

}  // namespace abm::sdk

#endif  // ABM_SDK_VERSION_H_
