# libFuzzer targets of stack_runtime: one per stream decoder and one for .dockerignore.
# Included by fuzz/CMakeLists.txt. Seed corpora live in fuzz/corpus/<target>/;
# scripts/fuzz-runtime.sh builds and runs them.
foreach(target multiplex raw_stream progress buildkit events log_lines dockerignore)
  stack_add_fuzzer(fuzz_${target} ${CMAKE_CURRENT_SOURCE_DIR}/runtime/fuzz_${target}.cpp
                   stack_runtime_decode stack_runtime_context)
endforeach()
