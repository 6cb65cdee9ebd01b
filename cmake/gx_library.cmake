# gx_library(name dir DEPS ... [EXCLUDE path...]): a static library of every .cpp
# under dir (tests excluded). An EXCLUDE path is a file, or a folder ending in "/" that
# another library owns. An area with no sources yet is an INTERFACE library.
# Warnings are errors in the project's own builds (scripts/build, and so scripts/test and CI, set
# GX_WERROR=ON), not in a user's plain build: g++ 12 warns falsely at -O3 (-Wrestrict inside
# std::string), and a new compiler's new warning must not stop a Release build.
option(GX_WERROR "treat compiler warnings as errors (scripts/build turns it on)" OFF)

function(gx_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${GX_WERROR}>:-Werror>)
endfunction()

function(gx_library name dir)
  cmake_parse_arguments(ARG "" "" "DEPS;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  foreach(ex IN LISTS ARG_EXCLUDE)
    set(kept "")
    foreach(src IN LISTS sources)
      string(FIND "${src}" "${CMAKE_SOURCE_DIR}/${dir}/${ex}" at)
      if(NOT at EQUAL 0)
        list(APPEND kept ${src})
      endif()
    endforeach()
    set(sources ${kept})
  endforeach()
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
    gx_warnings(${name})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()
