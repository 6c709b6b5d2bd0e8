# Test-only services as ctest fixtures (tests/support/README.md explains each service).
# A test that needs a service sets, e.g.
#   set_tests_properties(myarea.mytest PROPERTIES FIXTURES_REQUIRED svc_azurite)
# and reads $LR_SVC_DIR (default $LR_BUILD_DIR/services)/azurite.port, azurite.env, ...
# ctest starts a service only when a selected test requires it, and stops it after the last one.
find_program(LR_NODE node)
if(NOT LR_NODE)
  message(WARNING "node not found: the service fixtures (Azurite, s3strict, ...) will fail; run ./dev deps")
  set(LR_NODE node)
endif()
set(LR_SVC ${CMAKE_CURRENT_LIST_DIR}/../support/svc)

# lr_service_fixture(FIXTURE SERVICE [REQUIRES fixture...] [ARGS start-args...])
function(lr_service_fixture fixture service)
  cmake_parse_arguments(F "" "" "REQUIRES;ARGS" ${ARGN})
  add_test(NAME services.start_${service} COMMAND ${LR_NODE} ${LR_SVC} start ${service} ${F_ARGS})
  add_test(NAME services.stop_${service} COMMAND ${LR_NODE} ${LR_SVC} stop ${service})
  set_tests_properties(services.start_${service} PROPERTIES
    ENVIRONMENT "${LR_TEST_ENV}" FIXTURES_SETUP ${fixture} LABELS "services;fixture" TIMEOUT 120)
  set_tests_properties(services.stop_${service} PROPERTIES
    ENVIRONMENT "${LR_TEST_ENV}" FIXTURES_CLEANUP ${fixture} LABELS "services;fixture" TIMEOUT 60)
  if(F_REQUIRES)
    # The dependency stays up until this fixture's cleanup has run.
    set_tests_properties(services.start_${service} services.stop_${service} PROPERTIES
      FIXTURES_REQUIRED "${F_REQUIRES}")
  endif()
endfunction()

lr_service_fixture(svc_azurite azurite)
lr_service_fixture(svc_azurite_oauth azurite-oauth)
lr_service_fixture(svc_s3strict s3strict)
lr_service_fixture(svc_proxy proxy REQUIRES svc_azurite ARGS --target-service azurite)
lr_service_fixture(svc_token token)
lr_service_fixture(svc_webhook webhook)
lr_service_fixture(svc_s3rver s3rver)

set_tests_properties(services.fixtures PROPERTIES FIXTURES_REQUIRED
  "svc_azurite;svc_azurite_oauth;svc_s3strict;svc_proxy;svc_token;svc_webhook;svc_s3rver")
