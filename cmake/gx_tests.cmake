# Every tests/<path>/<name>_test.cpp is its own executable, linked against the
# library whose source folder <path> mirrors (the longest match wins).
# tests/integration and tests/e2e link the whole exporter and the simulator.
if(NOT BUILD_TESTING)
  return()
endif()
include(GoogleTest)
get_property(lib_dirs GLOBAL PROPERTY GX_LIBRARY_DIRS)
file(GLOB_RECURSE test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*_test.cpp)
# `scripts/build gx_tests` builds every test program and nothing else (sanitized builds use it).
add_custom_target(gx_tests)
foreach(src IN LISTS test_sources)
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR}/tests ${src})
  get_filename_component(rel_dir ${rel} DIRECTORY)
  get_filename_component(stem ${rel} NAME_WE)
  set(best_lib "")
  set(best_len 0)
  foreach(pair IN LISTS lib_dirs)
    string(REPLACE "=" ";" kv ${pair})
    list(GET kv 0 dir)
    list(GET kv 1 lib)
    string(LENGTH ${dir} len)
    if((rel_dir STREQUAL dir OR rel_dir MATCHES "^${dir}/") AND len GREATER best_len)
      set(best_lib ${lib})
      set(best_len ${len})
    endif()
  endforeach()
  if(rel_dir STREQUAL "integration" AND stem MATCHES "^notifications_")
    # The listener's tests need its own stack (listener, API client, collectors), not the whole app.
    set(best_lib gx_notify gx_api gx_collectors gx_sim)
  elseif(rel_dir STREQUAL "integration" AND stem MATCHES "^poll_")
    # The pollers' tests need the API stack, the pollers and the collectors, not the whole app.
    set(best_lib gx_poll gx_api gx_collectors gx_sim)
  elseif(rel_dir MATCHES "^(integration|e2e)")
    set(best_lib gx_app gx_sim)
  elseif(NOT best_lib)
    message(FATAL_ERROR "tests/${rel}: no library mirrors tests/${rel_dir}")
  endif()
  if(best_lib MATCHES "^(gx_api|gx_webhook|gx_http)$")
    # Their fake servers (Genesys, webhook receivers) run on the one httplib lifecycle; the
    # web server's tests use httplib's client.
    list(APPEND best_lib gx_util_http)
  endif()
  if(rel_dir STREQUAL "exporter/util" AND stem STREQUAL "log_line_test")
    list(APPEND best_lib simdjson::simdjson)  # parses the JSON lines it checks
  endif()
  string(REPLACE "/" "_" target_name "${rel_dir}_${stem}")
  add_executable(${target_name} ${src})
  target_link_libraries(${target_name} PRIVATE ${best_lib} GTest::gtest_main GTest::gmock)
  target_include_directories(${target_name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_compile_definitions(${target_name} PRIVATE
    GX_SOURCE_DIR="${CMAKE_SOURCE_DIR}" GX_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gx_warnings(${target_name})
  add_dependencies(gx_tests ${target_name})
  # Tests that run the real binaries need them built first.
  if(rel_dir MATCHES "^(exporter/app|integration|e2e)" AND NOT stem MATCHES "^poll_")
    foreach(binary genesys_exporter genesys_sim)
      if(TARGET ${binary})
        add_dependencies(${target_name} ${binary})
      endif()
    endforeach()
  endif()
  # One label, <suite>:<folder> (suite: unit or integration), so that `ctest -L` picks a
  # suite or an area (scripts/test --sanitize, --tsan and the CI sanitizer subset use it).
  if(rel_dir MATCHES "^(integration|e2e)")
    set(suite integration)
  else()
    set(suite unit)
  endif()
  gtest_discover_tests(${target_name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300 LABELS "${suite}:${rel_dir}")
endforeach()

# Script suites (promtool, compose validation, end to end): tests/scripts/*.sh
file(GLOB script_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/scripts/*_test.sh)
foreach(script IN LISTS script_tests)
  get_filename_component(stem ${script} NAME_WE)
  add_test(NAME script_${stem} COMMAND bash ${script})
  # Exit code 77: the script cannot run here (a tool is missing) and said why; ctest shows a skip.
  set_tests_properties(script_${stem} PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS script
    ENVIRONMENT "GX_SOURCE_DIR=${CMAKE_SOURCE_DIR};GX_BINARY_DIR=${CMAKE_BINARY_DIR}")
endforeach()
# The include-layering check reads the tree only (about 2 s): part of the unit suite too.
set_tests_properties(script_layering_test PROPERTIES LABELS "script;unit:layering")
# Headless Chromium against the demo (about 20 s; a skip without chromium).
set_tests_properties(script_status_page_browser_test PROPERTIES TIMEOUT 60)
# Opt-in (GX_DOCKER_TEST=1, else a skip): builds the images, compiling the project once more.
set_tests_properties(script_docker_image_test PROPERTIES TIMEOUT 3600)
# Two replicas and a real Alertmanager cluster (about 40 s): bounded well below the default.
set_tests_properties(script_ha_replicas_test PROPERTIES TIMEOUT 120)

# Python unit tests (standard library only): tests/**/*_test.py, e.g. the soak's checkers.
file(GLOB_RECURSE py_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*_test.py)
foreach(script IN LISTS py_tests)
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR}/tests ${script})
  string(REGEX REPLACE "\\.py$" "" rel ${rel})
  string(REPLACE "/" "_" name ${rel})
  add_test(NAME py_${name} COMMAND python3 ${script})
  set_tests_properties(py_${name} PROPERTIES TIMEOUT 60)
endforeach()

# A bounded chaos soak (tests/soak/README.md): 75 s of faults, kill -9 included, on the real
# binaries, with a random seed that it prints (replay with scripts/soak 1.25 --seed N).
# scripts/soak runs the long one.
add_test(NAME soak_smoke COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/soak/chaos_soak.py
         --minutes 1.25 --bin ${CMAKE_BINARY_DIR})
set_tests_properties(soak_smoke PROPERTIES TIMEOUT 400 LABELS soak)
