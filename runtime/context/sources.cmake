# Build context: tar streaming, .dockerignore, content hash; relative to runtime/.
set(STACK_CONTEXT_SOURCES
  context/build_context.cpp
  context/content_hasher.cpp
  context/context_tar.cpp
  context/context_walker.cpp
  context/ignore_matcher.cpp
  context/ignore_pattern.cpp
  context/text_util.cpp
)
