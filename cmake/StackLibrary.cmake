# stack_library(<target> [SOURCES <file>...] [DEPS <target>...] [PRIVATE_DEPS <target>...])
#
# One library target per folder: call it from the folder's CMakeLists.txt. The target is
# named after the folder (stack_ + the path below the source root, '/' as '_':
# orchestrator/planner -> stack_orchestrator_planner). Without SOURCES it is an interface
# (header-only) library.
#
# Layering is enforced here. Sources include headers by their path from the source root
# ("orchestrator/compose/model.hpp"), but no target sees the source root: each sees only
# its own folder's headers and those of the targets in its DEPS (transitively), through a
# tree of links under <build>/include/<target>/. A header of a folder not in DEPS does not
# compile. A stack_ target in DEPS must already be declared (folders are added bottom-up),
# so no cycle can form and the arrows point one way. Headers added later are picked up
# when the build re-runs CMake (the glob below is CONFIGURE_DEPENDS).
function(stack_library target)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(REPLACE "/" "_" expected "stack_${folder}")
  if(NOT target STREQUAL expected)
    message(FATAL_ERROR "${folder}: the target of this folder is named ${expected}")
  endif()

  foreach(dep ${ARG_DEPS} ${ARG_PRIVATE_DEPS})
    if(dep MATCHES "^stack_" AND NOT TARGET ${dep})
      message(FATAL_ERROR "${target} depends on ${dep}, which is not declared yet: a folder "
                          "may use only folders added before it (add_subdirectory order), "
                          "which keeps the dependencies one way")
    endif()
  endforeach()

  set(stage ${PROJECT_BINARY_DIR}/include/${target})
  file(GLOB headers CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*.hpp)
  file(REMOVE_RECURSE ${stage})
  file(MAKE_DIRECTORY ${stage}/${folder})
  foreach(header ${headers})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${header} ${stage}/${folder}/${header}
         SYMBOLIC)
  endforeach()

  if(ARG_SOURCES)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${stage})
    target_link_libraries(${target} PUBLIC stack_options ${ARG_DEPS})
    if(ARG_PRIVATE_DEPS)
      target_link_libraries(${target} PRIVATE ${ARG_PRIVATE_DEPS})
    endif()
  else()
    if(ARG_PRIVATE_DEPS)
      message(FATAL_ERROR "${target}: a header-only library has no PRIVATE_DEPS")
    endif()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${stage})
    target_link_libraries(${target} INTERFACE stack_options ${ARG_DEPS})
  endif()
endfunction()
