#include "orchestrator/images/image_reference.hpp"

#include <algorithm>
#include <string_view>

#include "core/error.hpp"

namespace stack::orchestrator::images {

ImageReference ImageReference::parse(const std::string& reference) {
  auto invalid = [&](const std::string& why) {
    return Error(ErrorKind::Config, "invalid image reference \"" + reference + "\": " + why,
                 "use [registry/]repository[:tag] or repository@sha256:digest");
  };
  if (reference.empty()) throw invalid("it is empty");
  if (std::any_of(reference.begin(), reference.end(),
                  [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    throw invalid("it contains white space or control characters");
  }
  ImageReference out;
  std::string rest = reference;
  if (const auto at = rest.find('@'); at != std::string::npos) {
    out.digest = rest.substr(at + 1);
    rest.resize(at);
    if (out.digest.find(':') == std::string::npos) throw invalid("the digest has no algorithm");
  }
  const auto slash = rest.rfind('/');
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    out.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (out.tag.empty()) throw invalid("the tag is empty");
  } else if (out.digest.empty()) {
    out.tag = "latest";
  }
  if (rest.empty() || rest.front() == '/' || rest.back() == '/') {
    throw invalid("the repository name is empty");
  }
  out.repository = rest;
  return out;
}

std::string ImageReference::registry() const {
  const auto slash = repository.find('/');
  if (slash == std::string::npos) return "docker.io";
  const std::string first = repository.substr(0, slash);
  const bool host = first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
                    first == "localhost";
  if (!host || first == "index.docker.io" || first == "registry-1.docker.io") return "docker.io";
  return first;
}

std::string ImageReference::str() const {
  if (!digest.empty()) return repository + "@" + digest;
  return repository + ":" + tag;
}

std::string normalizeImageReference(const std::string& reference) {
  std::string out = reference;
  for (const char* prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/"}) {
    if (out.rfind(prefix, 0) == 0) {
      out = out.substr(std::string_view(prefix).size());
      break;
    }
  }
  const auto slash = out.rfind('/');
  const auto colon = out.rfind(':');
  const bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag && out.find('@') == std::string::npos) out += ":latest";
  return out;
}

}  // namespace stack::orchestrator::images
