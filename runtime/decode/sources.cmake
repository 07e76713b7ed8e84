# Stream decoders, relative to runtime/.
set(STACK_DECODE_SOURCES
)
