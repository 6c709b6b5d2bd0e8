# The Delta engine benchmark program (tests/bench/bench_delta.c): built with the tests, run only
# by ./dev bench (tests/bench/bench_delta.sh); it reuses the checkpoint schema helper of
# tests/parquet_write.
add_executable(bench_delta ${CMAKE_SOURCE_DIR}/tests/bench/bench_delta.c
  ${CMAKE_SOURCE_DIR}/tests/parquet_write/pqw_checkpoint.c)
target_include_directories(bench_delta PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write)
target_link_libraries(bench_delta PRIVATE lakerewind_core)

# The lazy-stats test writes its checkpoint with the same schema helper.
target_sources(delta_test_lazy_stats PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write/pqw_checkpoint.c)
target_include_directories(delta_test_lazy_stats PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write)

# The checkpoint-writing test asks DuckDB through the writer tests' runner.
target_sources(delta_test_checkpoint_write PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write/pqw_support.c
  ${CMAKE_SOURCE_DIR}/tests/parquet_write/pqw_checkpoint.c)
target_include_directories(delta_test_checkpoint_write PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write)

# The add/remove decoder test also writes a checkpoint of its own.
target_sources(delta_test_checkpoint_files PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write/pqw_checkpoint.c)
target_include_directories(delta_test_checkpoint_files PRIVATE ${CMAKE_SOURCE_DIR}/tests/parquet_write)
