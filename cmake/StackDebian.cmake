# The Debian packages, built with CPack (scripts/package.sh runs `cpack -G DEB`):
#   stack_<version>_<arch>.deb      the `stack` component: binary, completions, man page
#   libstack-dev_<version>_<arch>.deb  the `library` component, when it is declared
# Dependencies come from dpkg-shlibdeps (the shared libraries the binary links), so
# `apt install ./stack_*.deb` on a fresh Debian 12 pulls exactly what the binary needs.
set(CPACK_PACKAGE_NAME stack)
set(CPACK_PACKAGE_VENDOR "the stack developers")
set(CPACK_PACKAGE_CONTACT "stack developers <stack@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "run multi-container applications from compose files")
set(CPACK_PACKAGE_DESCRIPTION
    "stack reads compose files (compose.yaml, as docker compose does), builds the images, "
    "starts the services on a private network through the Docker Engine API and "
    "supervises their readiness.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_STACK_PACKAGE_NAME stack)
set(CPACK_DEBIAN_STACK_PACKAGE_SHLIBDEPS ON)
# It talks to a Docker engine; docker.io provides one on Debian but a remote DOCKER_HOST
# does too, so it is a recommendation, not a dependency.
set(CPACK_DEBIAN_STACK_PACKAGE_RECOMMENDS "docker.io")
set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME libstack-dev)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libdevel)
get_cmake_property(CPACK_COMPONENTS_ALL COMPONENTS)
list(REMOVE_ITEM CPACK_COMPONENTS_ALL Unspecified)
include(CPack)
