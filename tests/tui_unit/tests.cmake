# tests/tui_unit/tests.cmake - the console's pure modules (no curses) built as a small library
# and linked into every tests/tui_unit/test_*.c, so the theme parser, sanitiser, key tables and
# widget logic are unit tested without a terminal.
set(LR_TUI_PURE_SOURCES
  ${CMAKE_SOURCE_DIR}/tui/sanitize.c
  ${CMAKE_SOURCE_DIR}/tui/theme_parse.c
  ${CMAKE_SOURCE_DIR}/tui/theme.c
  ${CMAKE_SOURCE_DIR}/tui/keys.c
  ${CMAKE_SOURCE_DIR}/tui/model.c
  ${CMAKE_SOURCE_DIR}/tui/widgets/table_model.c
  ${CMAKE_SOURCE_DIR}/tui/widgets/lineedit.c
  ${CMAKE_SOURCE_DIR}/tui/widgets/chart.c
  ${CMAKE_SOURCE_DIR}/tui/widgets/textwrap.c
  ${CMAKE_SOURCE_DIR}/tui/widgets/logring.c)
add_library(lr_tui_pure STATIC ${LR_TUI_PURE_SOURCES})
target_include_directories(lr_tui_pure PUBLIC ${CMAKE_SOURCE_DIR}/tui)
target_link_libraries(lr_tui_pure PUBLIC lakerewind_core)
file(GLOB LR_TUI_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.c)
foreach(src ${LR_TUI_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  target_link_libraries(tui_unit_${name} PRIVATE lr_tui_pure)
endforeach()
