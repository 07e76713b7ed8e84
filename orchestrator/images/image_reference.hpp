#pragma once

// Image references as the engine's pull and push calls want them: "127.0.0.1:5000/app:1"
// is repository "127.0.0.1:5000/app", tag "1", registry "127.0.0.1:5000". A reference
// without a tag or digest means ":latest", as the docker CLI reads it.

#include <string>

namespace stack::orchestrator::images {

struct ImageReference {
  std::string repository;  // everything before the tag or digest
  std::string tag;         // "latest" when neither a tag nor a digest was given
  std::string digest;      // "sha256:..." for "repo@sha256:..."; then tag may be empty

  // Throws stack::Error (kind Config) for an empty or malformed reference.
  static ImageReference parse(const std::string& reference);

  // The registry host the repository lives on: the first path component when it looks
  // like a host (has '.' or ':', or is "localhost"), else "docker.io".
  std::string registry() const;
  // What the engine's `tag` parameter takes: the digest when there is one, else the tag.
  std::string tagOrDigest() const { return digest.empty() ? tag : digest; }
  // "repository:tag" or "repository@digest".
  std::string str() const;
};

// "nginx" -> "nginx:latest", "docker.io/library/nginx:1" -> "nginx:1": the form in
// which the engine lists RepoTags.
std::string normalizeImageReference(const std::string& reference);

}  // namespace stack::orchestrator::images
