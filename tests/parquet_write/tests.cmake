# tests/parquet_write: the writer's tests share pqw_support.c (DuckDB runner, row comparison,
# the Delta checkpoint schema); the benchmark generator in tests/bench uses it too (built here,
# never registered as a test: ./dev bench runs it through tests/bench/run.sh).
set(LR_PQW_SUPPORT ${CMAKE_CURRENT_LIST_DIR}/pqw_support.c)
file(GLOB lr_pqw_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.c)
foreach(src ${lr_pqw_tests})
  get_filename_component(name ${src} NAME_WE)
  target_sources(parquet_write_${name} PRIVATE ${LR_PQW_SUPPORT})
  set_tests_properties(parquet_write.${name} PROPERTIES RUN_SERIAL FALSE)
endforeach()
