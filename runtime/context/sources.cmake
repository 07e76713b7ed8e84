# Build context: tar streaming, .dockerignore, content hash; relative to runtime/.
set(STACK_CONTEXT_SOURCES
  context/build_context.cpp
  context/content_hasher.cpp
  context/context_hash.cpp
  context/context_tar.cpp
  context/context_walker.cpp
  context/digest_cache.cpp
  context/ignore_matcher.cpp
  context/ignore_pattern.cpp
  context/text_util.cpp
)
