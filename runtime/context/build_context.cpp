#include "runtime/context/build_context.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "runtime/context/content_hasher.hpp"
#include "runtime/context/context_tar.hpp"
#include "runtime/context/unique_fd.hpp"

namespace stack::runtime::context {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kGeneratedPrefix = ".stack-dockerfile-";
constexpr const char* kDockerfileHint =
    "check build.context and build.dockerfile; a relative dockerfile is resolved from the "
    "context directory";

// The whole file, or nullopt when it does not exist. Refuses files over the size limit,
// which no Dockerfile or .dockerignore comes near.
std::optional<std::string> readSmallFile(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throwIo("file", path.string(), errno);
  }
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwIo("file", path.string(), errno);
    if (n == 0) return content;
    if (content.size() + static_cast<size_t>(n) > BuildContext::kMaxSmallFile) {
      throw Error(ErrorKind::Build, "\"" + path.string() + "\" is larger than 16 MiB",
                  "a Dockerfile or .dockerignore that large is surely a mistake");
    }
    content.append(buffer, static_cast<size_t>(n));
  }
}

struct DockerfileChoice {
  std::string in_context_path;  // empty when it lies outside the context
  std::string content;
};

DockerfileChoice locateDockerfile(const fs::path& root, const BuildContextOptions& options) {
  if (options.dockerfile_inline) return {{}, *options.dockerfile_inline};
  fs::path given =
      options.dockerfile.empty() ? fs::path("Dockerfile") : fs::path(options.dockerfile);
  fs::path candidate = given.is_absolute() ? given : root / given;
  std::error_code ec;
  // Like the docker CLI, accept a lowercase "dockerfile" when "Dockerfile" is absent.
  if (options.dockerfile.empty() && !fs::exists(fs::symlink_status(candidate, ec)) &&
      fs::exists(fs::symlink_status(root / "dockerfile", ec))) {
    candidate = root / "dockerfile";
  }
  fs::path resolved = fs::canonical(candidate, ec);
  if (ec) {
    throw Error(ErrorKind::Build,
                "cannot locate the Dockerfile \"" + candidate.string() + "\": " + ec.message(),
                kDockerfileHint);
  }
  if (!fs::is_regular_file(resolved, ec)) {
    throw Error(ErrorKind::Build, "the Dockerfile \"" + resolved.string() + "\" is not a file",
                kDockerfileHint);
  }
  std::optional<std::string> content = readSmallFile(resolved);
  if (!content) {
    throw Error(ErrorKind::Build, "the Dockerfile \"" + resolved.string() + "\" vanished",
                kDockerfileHint);
  }
  fs::path relative = resolved.lexically_relative(root);
  bool outside = relative.empty() || *relative.begin() == "..";
  return {outside ? std::string() : relative.generic_string(), std::move(*content)};
}

fs::path resolveRoot(const fs::path& context) {
  std::error_code ec;
  fs::path root = fs::canonical(context, ec);
  if (ec || !fs::is_directory(root, ec)) {
    throw Error(ErrorKind::Build,
                "the build context \"" + context.string() + "\" is not a directory" +
                    (ec ? ": " + ec.message() : std::string()),
                "check build.context in the compose file");
  }
  return root;
}

}  // namespace

std::vector<std::string> ResolvedContext::hiddenNames() const {
  std::vector<std::string> names;
  for (const VirtualFile& file : virtual_files) names.push_back(file.name);
  return names;
}

BuildContext BuildContext::open(const BuildContextOptions& options) {
  auto resolved = std::make_shared<ResolvedContext>();
  resolved->root = resolveRoot(options.context);
  const fs::path ignore_path = resolved->root / ".dockerignore";
  std::optional<std::string> ignore_text = readSmallFile(ignore_path);
  auto matcher = std::make_shared<IgnoreMatcher>(
      ignore_text ? readIgnoreFile(*ignore_text, ignore_path.string()) : std::vector<IgnoreLine>{},
      ignore_path.string());

  DockerfileChoice dockerfile = locateDockerfile(resolved->root, options);
  // The docker CLI always sends these two, whatever the patterns say.
  if (matcher->excludes(".dockerignore")) matcher->add("!.dockerignore");
  if (!dockerfile.in_context_path.empty() && matcher->excludes(dockerfile.in_context_path)) {
    matcher->add("!" + dockerfile.in_context_path);
  }

  if (dockerfile.in_context_path.empty()) {
    std::string name =
        std::string(kGeneratedPrefix) + toHex(sha256(dockerfile.content)).substr(0, 16);
    // The daemon reads the tar's .dockerignore too: listing the name there keeps the
    // Dockerfile out of what COPY . sees, as the docker CLI does for its random name.
    VirtualFile ignore{".dockerignore", ignore_text ? *ignore_text : ".dockerignore"};
    ignore.content += "\n" + name + "\n";
    struct stat info {};
    if (ignore_text && ::stat(ignore_path.c_str(), &info) == 0) {
      ignore.perm = info.st_mode & 07777;  // docker keeps the rewritten file's header
      ignore.mtime = info.st_mtim.tv_sec;
    }
    resolved->virtual_files.push_back(std::move(ignore));
    resolved->virtual_files.push_back({name, dockerfile.content});
    resolved->dockerfile = std::move(name);
  } else {
    resolved->dockerfile = dockerfile.in_context_path;
  }
  resolved->dockerfile_content = std::move(dockerfile.content);
  resolved->matcher = std::move(matcher);
  return BuildContext(std::move(resolved));
}

std::shared_ptr<BodySource> BuildContext::tar() const {
  return std::make_shared<ContextTarSource>(resolved_);
}

}  // namespace stack::runtime::context
