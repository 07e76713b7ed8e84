# Stream decoders, relative to runtime/.
set(STACK_DECODE_SOURCES
  decode/event_decoder.cpp
  decode/json_line_splitter.cpp
  decode/line_buffer.cpp
  decode/multiplex_decoder.cpp
  decode/output_line_splitter.cpp
  decode/progress_decoder.cpp
  decode/raw_stream_decoder.cpp
)
