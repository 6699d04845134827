# CMake package of the ABM plugin SDK.
#   find_package(AbmSdk REQUIRED)
#   abm_add_plugin(my_plugin SOURCES my_plugin.cc)
include(${CMAKE_CURRENT_LIST_DIR}/AbmSdkTargets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/AbmSdkPlugin.cmake)
