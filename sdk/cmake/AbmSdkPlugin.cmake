# abm_add_plugin(NAME SOURCES src... [OUTPUT_DIRECTORY dir] [LIBRARIES lib...])
#
# Builds NAME.so, a metric plugin for abm-server: a MODULE library linked
# against the SDK, with hidden visibility so that only the ABM_PLUGIN entry
# points are exported (and -fno-gnu-unique on GCC, so the library can really
# be unloaded and reloaded). Drop the file in the server's plugin dir and load
# it with `abmctl plugins load NAME`.
function(abm_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "abm_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET AbmSdk::sdk)
    target_link_libraries(${name} PRIVATE AbmSdk::sdk)
  else()
    target_link_libraries(${name} PRIVATE abm_sdk)
  endif()
  if(ARG_LIBRARIES)
    target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  endif()
  target_compile_features(${name} PRIVATE cxx_std_17)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE -fno-gnu-unique)
  endif()
  # Export the two entry points and nothing else (not even the standard
  # library's template instances, which its headers mark visible).
  set(_abm_map ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports.map)
  file(WRITE ${_abm_map}
    "{ global: abm_plugin_abi_version; abm_plugin_create; local: *; };\n")
  target_link_options(${name} PRIVATE "LINKER:--version-script=${_abm_map}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${_abm_map})
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()
