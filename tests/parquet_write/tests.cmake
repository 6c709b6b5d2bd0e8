# tests/parquet_write: the writer's tests share pqw_support.c (DuckDB runner, row comparison,
# the Delta checkpoint schema); the benchmark generator in tests/bench uses it too (built here,
# never registered as a test: ./dev bench runs it through tests/bench/run.sh).
set(LR_PQW_SUPPORT ${CMAKE_CURRENT_LIST_DIR}/pqw_support.c
                   ${CMAKE_CURRENT_LIST_DIR}/pqw_checkpoint.c)
file(GLOB lr_pqw_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.c)
foreach(src ${lr_pqw_tests})
  get_filename_component(name ${src} NAME_WE)
  target_sources(parquet_write_${name} PRIVATE ${LR_PQW_SUPPORT})
endforeach()

# Benchmark programs (tests/bench/*.c): built with the tests, run only by ./dev bench.
file(GLOB lr_bench_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/bench/gen_*.c)
foreach(src ${lr_bench_sources})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src} ${CMAKE_CURRENT_LIST_DIR}/pqw_checkpoint.c)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(${name} PRIVATE lakerewind_core)
endforeach()
