# Build context: tar streaming, .dockerignore, content hash; relative to runtime/.
set(STACK_CONTEXT_SOURCES
)
