# tests/e2e: the story on Azurite needs the emulator (tests/services/tests.cmake's fixture).
if(TEST e2e.rollback_azurite)
  set_tests_properties(e2e.rollback_azurite PROPERTIES
    FIXTURES_REQUIRED svc_azurite RESOURCE_LOCK svc_azurite)
endif()

# The rollback benchmark's lakehouse generator (tests/bench/bench_rollback.c), run only by
# tests/bench/bench_rollback.sh.
add_executable(bench_rollback ${CMAKE_SOURCE_DIR}/tests/bench/bench_rollback.c)
target_link_libraries(bench_rollback PRIVATE lakerewind_core)
