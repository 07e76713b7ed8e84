# Compose loader fuzzer; seed corpus in fuzz/corpus/loader/, run by scripts/fuzz-loader.sh.
stack_add_fuzzer(loader_fuzzer ${CMAKE_CURRENT_SOURCE_DIR}/loader_fuzzer.cpp
                 stack_orchestrator_compose)
