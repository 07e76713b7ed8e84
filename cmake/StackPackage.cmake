# The installed C++ package: find_package(stack) -> stack::stack (the library API) and
# stack::testing (the fixture).
#
# In the tree, stack_library links the per-folder libraries (stack_orchestrator, ...). A
# consumer should see two libraries, not twenty, and no internal headers, so the install
# ships two archives built from the same objects (no second compile):
#   libstack.a          the objects of stack_library and of every stack_ library it uses
#   libstack_testing.a  the objects of stack_testing
# Their link interface names only third-party libraries, found again by stackConfig.cmake
# (find_dependency); Boost, nlohmann-json and the internal headers are needed at build time
# only. Headers: include/stack/ as <stack/...>, and core/error.hpp as <stack/error.hpp>.

include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

# The stack_ targets `target` links, transitively (each once), into `out`.
function(stack_internal_closure target out)
  set(seen ${${out}})
  get_target_property(links ${target} LINK_LIBRARIES)
  get_target_property(interface ${target} INTERFACE_LINK_LIBRARIES)
  foreach(dep IN LISTS links interface)
    if(dep MATCHES "^stack_" AND NOT dep STREQUAL "stack_options" AND TARGET ${dep})
      if(NOT dep IN_LIST seen)
        list(APPEND seen ${dep})
        stack_internal_closure(${dep} seen)
      endif()
    endif()
  endforeach()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

set(stack_bundled stack_library)
stack_internal_closure(stack_library stack_bundled)
set(stack_bundle_objects)
foreach(lib IN LISTS stack_bundled)
  get_target_property(type ${lib} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    list(APPEND stack_bundle_objects $<TARGET_OBJECTS:${lib}>)
  endif()
endforeach()

# What the internal libraries link from outside the tree (see the DEPS of each folder).
set(stack_third_party yaml-cpp CURL::libcurl spdlog::spdlog LibArchive::LibArchive
                      OpenSSL::Crypto Threads::Threads)

add_library(stack_package_stack STATIC ${stack_bundle_objects})
set_target_properties(stack_package_stack PROPERTIES OUTPUT_NAME stack EXPORT_NAME stack
                      LINKER_LANGUAGE CXX)
target_link_libraries(stack_package_stack PRIVATE ${stack_third_party})
target_include_directories(stack_package_stack
                           INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(stack_package_stack INTERFACE cxx_std_20)

add_library(stack_package_testing STATIC $<TARGET_OBJECTS:stack_testing>)
set_target_properties(stack_package_testing PROPERTIES OUTPUT_NAME stack_testing
                      EXPORT_NAME testing LINKER_LANGUAGE CXX)
target_link_libraries(stack_package_testing PUBLIC stack_package_stack)

install(TARGETS stack_package_stack stack_package_testing EXPORT stackTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/stack DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT library FILES_MATCHING PATTERN "*.hpp")
# stack::Error is the one type shared with the internals: core/error.hpp, as <stack/error.hpp>.
install(FILES ${PROJECT_SOURCE_DIR}/core/error.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/stack
        RENAME error.hpp COMPONENT library)
set(stack_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/stack)
install(EXPORT stackTargets NAMESPACE stack:: DESTINATION ${stack_cmake_dir}
        COMPONENT library)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/stackConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/stackConfig.cmake
                              INSTALL_DESTINATION ${stack_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/stackConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/stackConfig.cmake
              ${PROJECT_BINARY_DIR}/package/stackConfigVersion.cmake
        DESTINATION ${stack_cmake_dir} COMPONENT library)
