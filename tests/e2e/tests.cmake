# tests/e2e: the story on Azurite needs the emulator (tests/services/tests.cmake's fixture).
if(TEST e2e.rollback_azurite)
  set_tests_properties(e2e.rollback_azurite PROPERTIES
    FIXTURES_REQUIRED svc_azurite RESOURCE_LOCK svc_azurite)
endif()
