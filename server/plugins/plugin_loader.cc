#define BOOST_DLL_USE_STD_FS
#include "server/plugins/plugin_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <exception>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace abm::server {
namespace fs = std::filesystem;

bool IsValidPluginName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

absl::StatusOr<std::unique_ptr<PluginLoader>> PluginLoader::Create(
    std::string plugin_dir) {
  std::error_code ec;
  fs::path dir = fs::canonical(plugin_dir, ec);
  if (ec)
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin dir ", plugin_dir, " is not usable: ", ec.message()));
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return absl::FailedPreconditionError(
        absl::StrCat("plugin dir ", dir.string(), " is not a directory"));
  if (st.st_mode & S_IWOTH)
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin dir ", dir.string(),
        " is writable by others; fix with: chmod o-w ", dir.string()));
  std::string tmpl =
      (fs::temp_directory_path() / "abm-plugins-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr)
    return absl::UnavailableError("cannot create a plugin scratch directory");
  return std::unique_ptr<PluginLoader>(new PluginLoader(dir.string(), tmpl));
}

PluginLoader::~PluginLoader() {
  std::error_code ec;
  fs::remove_all(scratch_dir_, ec);
}

std::vector<std::string> PluginLoader::Available() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(plugin_dir_, ec)) {
    const fs::path& p = entry.path();
    if (p.extension() != ".so") continue;
    const std::string stem = p.stem().string();
    if (IsValidPluginName(stem)) names.push_back(stem);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::string> PluginLoader::ResolvePath(
    absl::string_view name) const {
  if (!IsValidPluginName(name))
    return absl::InvalidArgumentError(absl::StrCat(
        "plugin name '", name,
        "' is invalid: use the plugin's name ([a-z0-9_-]+), not a path"));
  const fs::path path = fs::path(plugin_dir_) / absl::StrCat(name, ".so");
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec)
    return absl::NotFoundError(
        absl::StrCat("plugin '", name, "' not found: no ", path.string()));
  if (real.parent_path() != fs::path(plugin_dir_))
    return absl::PermissionDeniedError(
        absl::StrCat("plugin '", name, "' resolves to ", real.string(),
                     ", outside the plugin dir ", plugin_dir_));
  return real.string();
}

absl::StatusOr<std::unique_ptr<LoadedPlugin>> PluginLoader::Load(
    absl::string_view name) {
  absl::StatusOr<std::string> path = ResolvePath(name);
  if (!path.ok()) return path.status();

  // Open a private copy: dlopen of a path that is already open returns the
  // old image, so a reload of a rebuilt file would silently keep old code.
  const fs::path copy =
      fs::path(scratch_dir_) / absl::StrCat(name, ".", ++counter_, ".so");
  std::error_code ec;
  fs::copy_file(*path, copy, fs::copy_options::overwrite_existing, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat(
        "plugin '", name, "': cannot copy ", *path, ": ", ec.message()));
  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    library->load(copy, boost::dll::load_mode::rtld_now |
                            boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    fs::remove(copy, ec);
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin '", name, "': cannot load ", *path, ": ", e.what()));
  }
  fs::remove(copy, ec);  // the mapping stays valid

  const std::string fix =
      absl::StrCat("; rebuild the plugin against this server's SDK (ABI ",
                   sdk::AbiString(sdk::kAbiVersion), ")");
  if (!library->has(ABM_PLUGIN_ABI_SYMBOL) ||
      !library->has(ABM_PLUGIN_CREATE_SYMBOL))
    return absl::FailedPreconditionError(
        absl::StrCat("plugin '", name, "': ", *path, " does not export ",
                     ABM_PLUGIN_ABI_SYMBOL, " and ", ABM_PLUGIN_CREATE_SYMBOL,
                     " (missing ABM_PLUGIN(...) line?)", fix));
  uint32_t abi = 0;
  try {
    abi = library->get_alias<uint32_t()>(ABM_PLUGIN_ABI_SYMBOL)();
  } catch (...) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin '", name, "': reading its ABI version failed", fix));
  }
  if (sdk::AbiMajor(abi) != sdk::kAbiMajor ||
      sdk::AbiMinor(abi) > sdk::kAbiMinor)
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin '", name, "' was built with SDK ABI ", sdk::AbiString(abi),
        ", but this server accepts ABI ", sdk::kAbiMajor, ".0 to ",
        sdk::AbiString(sdk::kAbiVersion), fix));

  auto loaded = std::make_unique<LoadedPlugin>();
  loaded->name = std::string(name);
  loaded->path = *path;
  try {
    auto create = library->get_alias<sdk::Plugin*()>(ABM_PLUGIN_CREATE_SYMBOL);
    sdk::Plugin* raw = create();
    if (raw == nullptr)
      return absl::FailedPreconditionError(
          absl::StrCat("plugin '", name, "': its factory returned null"));
    // The deleter owns the library: it is unmapped only after the object.
    loaded->instance = std::shared_ptr<sdk::Plugin>(
        raw, [library](sdk::Plugin* p) { delete p; });
    loaded->info = loaded->instance->Describe();
  } catch (const std::exception& e) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin '", name, "' failed while starting: ", e.what()));
  } catch (...) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin '", name, "' failed while starting (unknown exception)"));
  }
  return loaded;
}

}  // namespace abm::server
