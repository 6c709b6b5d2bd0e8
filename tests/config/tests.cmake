# Extra rules of the config area: the libFuzzer target for the configuration loader
# (tests/fuzz/fuzz_config.c). The suite's own fuzz-ish coverage is test_config's truncation
# and byte-flip test; this target is for longer runs:
#   CC=clang cmake -S . -B build-fuzz -DLR_BUILD_FUZZ=ON && cmake --build build-fuzz
#   ./build-fuzz/tests/fuzz_config -max_len=8192 -max_total_time=60 config/
if(LR_BUILD_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LR_BUILD_FUZZ=ON needs clang (CC=clang): libFuzzer ships with it")
  endif()
  # Coverage feedback needs the library instrumented too (harmless if another area adds it).
  target_compile_options(lakerewind_core PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_config ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_config.c)
  target_compile_options(fuzz_config PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_config PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_config PRIVATE lakerewind_core)
endif()
