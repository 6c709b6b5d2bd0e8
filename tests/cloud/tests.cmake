# tests/cloud: the Azure and S3 backends against the local services of tests/support/svc.
# Helpers (not tests) the shell tests drive:
foreach(tool cloud_setup store_tool restore_loop)
  add_executable(lr_${tool} ${CMAKE_CURRENT_LIST_DIR}/${tool}.c)
  target_link_libraries(lr_${tool} PRIVATE lakerewind_core)
  target_include_directories(lr_${tool} PRIVATE ${CMAKE_SOURCE_DIR}/core)
endforeach()

# Each *.test.sh here is registered by tests/CMakeLists.txt; attach the services it needs.
set(LR_CLOUD_FIXTURES
  azure_sharedkey svc_azurite
  azure_sas svc_azurite
  s3_strict svc_s3strict
  s3_refusal svc_s3strict
  s3rver_refusal svc_s3rver
  fault_proxy svc_proxy
  secrets svc_azurite
  delta_azurite svc_azurite
  stats_azurite svc_azurite
  delta_azurite_sk svc_azurite
  delta_azurite_sas svc_azurite
  delta_s3strict svc_s3strict
  delta_s3rver_commit svc_s3rver
  fault_restore svc_proxy
  operator_identity_s3 svc_s3strict
)
list(LENGTH LR_CLOUD_FIXTURES n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET LR_CLOUD_FIXTURES ${i} name)
  list(GET LR_CLOUD_FIXTURES ${j} fixture)
  if(TEST cloud.${name})
    set_tests_properties(cloud.${name} PROPERTIES FIXTURES_REQUIRED "${fixture}" RESOURCE_LOCK "${fixture}")
  endif()
endforeach()
foreach(t cloud.azure_bearer cloud.operator_identity_azure)
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES
      FIXTURES_REQUIRED "svc_azurite_oauth;svc_token" RESOURCE_LOCK "svc_azurite_oauth;svc_token")
  endif()
endforeach()

# The cloud benchmark program (tests/bench/bench_cloud.c), run only by tests/bench/bench_cloud.sh.
add_executable(bench_cloud ${CMAKE_SOURCE_DIR}/tests/bench/bench_cloud.c)
target_link_libraries(bench_cloud PRIVATE lakerewind_core)
