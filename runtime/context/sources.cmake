# Build context: tar streaming, .dockerignore, content hash; relative to runtime/.
set(STACK_CONTEXT_SOURCES
  context/ignore_matcher.cpp
  context/ignore_pattern.cpp
  context/text_util.cpp
)
