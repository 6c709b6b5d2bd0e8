# Extra rules of the parquet area: the fuzz target and its seed replay (tests/fuzz), the seed
# generator, and the read benchmark (tests/bench). tests/CMakeLists.txt does not auto-build
# the fuzz and bench folders, so they are declared here.
set(LR_FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)

# Replay of the seed corpus through the fuzz entry point, without libFuzzer (runs in every
# build, sanitized in the LR_SANITIZE build).
add_executable(fuzz_parquet_replay ${LR_FUZZ_DIR}/fuzz_parquet.c ${LR_FUZZ_DIR}/replay_main.c)
target_link_libraries(fuzz_parquet_replay PRIVATE lakerewind_core)
add_test(NAME fuzz.parquet_replay COMMAND fuzz_parquet_replay ${LR_FUZZ_DIR}/seeds)
set_tests_properties(fuzz.parquet_replay PROPERTIES LABELS "fuzz;parquet" TIMEOUT 300)

# The generator of tests/fuzz/seeds; the test checks it still produces decodable files.
add_executable(gen_parquet_seeds ${LR_FUZZ_DIR}/gen_parquet_seeds.c)
target_link_libraries(gen_parquet_seeds PRIVATE lakerewind_core)
add_test(NAME fuzz.parquet_seeds_generate
         COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1\" && \"$2\" \"$1\" && \"$3\" \"$1\""
                 sh ${CMAKE_BINARY_DIR}/test-tmp/parquet-seeds
                 $<TARGET_FILE:gen_parquet_seeds> $<TARGET_FILE:fuzz_parquet_replay>)
set_tests_properties(fuzz.parquet_seeds_generate PROPERTIES LABELS "fuzz;parquet" TIMEOUT 300)

# The libFuzzer target: cmake -DLR_BUILD_FUZZ=ON with CC=clang, then
#   ./build/tests/fuzz_parquet -max_len=65536 tests/fuzz/seeds
if(LR_BUILD_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LR_BUILD_FUZZ=ON needs clang (CC=clang): libFuzzer ships with it")
  endif()
  # coverage feedback from the library itself, not only from the entry point
  target_compile_options(lakerewind_core PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_parquet ${LR_FUZZ_DIR}/fuzz_parquet.c)
  target_compile_options(fuzz_parquet PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_parquet PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_parquet PRIVATE lakerewind_core)
endif()

# Read benchmark (not a test): ./build/tests/bench_parquet_read FILE [REPEATS]
add_executable(bench_parquet_read ${CMAKE_SOURCE_DIR}/tests/bench/bench_parquet_read.c)
target_link_libraries(bench_parquet_read PRIVATE lakerewind_core)
