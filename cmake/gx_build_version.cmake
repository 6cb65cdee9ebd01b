# The build facts that --version prints besides the version and revision (set in CMakeLists.txt):
# branch, build user and build date, as Prometheus binaries print them. The date is the commit's
# (or SOURCE_DATE_EPOCH's), never the wall clock, so one commit always compiles to the same
# build_version.o: reproducible, and ccache hits. -DGX_BUILD_USER=... overrides user@host,
# -DGX_BRANCH=... the branch (the Dockerfile passes both: its source has no .git).
function(gx_git out)
  execute_process(COMMAND git ${ARGN} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    OUTPUT_VARIABLE value OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

if(NOT GX_BRANCH)
  gx_git(GX_BRANCH rev-parse --abbrev-ref HEAD)
endif()

if(NOT GX_BUILD_USER)
  cmake_host_system_information(RESULT gx_host QUERY HOSTNAME)
  set(GX_BUILD_USER "$ENV{USER}")
  if(NOT GX_BUILD_USER)
    execute_process(COMMAND id -un OUTPUT_VARIABLE GX_BUILD_USER OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
  if(NOT GX_BUILD_USER)
    set(GX_BUILD_USER unknown)
  endif()
  set(GX_BUILD_USER "${GX_BUILD_USER}@${gx_host}")
endif()

if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(gx_epoch "$ENV{SOURCE_DATE_EPOCH}")
else()
  gx_git(gx_epoch log -1 --format=%ct HEAD)
endif()
set(GX_BUILD_DATE "")
if(gx_epoch MATCHES "^[0-9]+$")
  # string(TIMESTAMP) formats SOURCE_DATE_EPOCH when it is set: borrow it for the commit time.
  set(gx_saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
  set(ENV{SOURCE_DATE_EPOCH} "${gx_epoch}")
  string(TIMESTAMP GX_BUILD_DATE "%Y%m%d-%H:%M:%S" UTC)
  set(ENV{SOURCE_DATE_EPOCH} "${gx_saved_epoch}")
  if(gx_saved_epoch STREQUAL "")
    unset(ENV{SOURCE_DATE_EPOCH})
  endif()
endif()

foreach(var GX_BRANCH GX_BUILD_USER GX_BUILD_DATE)
  string(REGEX REPLACE "[\"\\\\]" "" ${var} "${${var}}")  # they become C string literals
  if(${var} STREQUAL "")
    set(${var} unknown)
  endif()
endforeach()

set_property(SOURCE exporter/util/build_version.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  "GX_BRANCH=\"${GX_BRANCH}\"" "GX_BUILD_USER=\"${GX_BUILD_USER}\"" "GX_BUILD_DATE=\"${GX_BUILD_DATE}\"")
