# tests/cloud: the Azure and S3 backends against local emulators (see tests/support/svc).
add_executable(lr_cloud_setup ${CMAKE_CURRENT_LIST_DIR}/cloud_setup.c)
target_link_libraries(lr_cloud_setup PRIVATE lakerewind_core)
target_include_directories(lr_cloud_setup PRIVATE ${CMAKE_SOURCE_DIR}/core)
