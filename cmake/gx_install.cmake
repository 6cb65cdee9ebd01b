# Install rules and the Debian package (docs/packaging.md).
#   cmake --install build [--prefix DIR]          the exporter, the rules, the dashboards, the
#                                                 example configuration and the docs
#   cmake --install build --component simulator   genesys_sim, which a production host does not need
#   cpack --config build/CPackConfig.cmake        genesys-exporter_<version>_<arch>.deb
# The systemd units (the service, and the optional socket), /etc/default/genesys-exporter and /etc/genesys_exporter/config.yml have
# absolute destinations and go into the .deb only (component "system", left out of a plain
# cmake --install): the unit runs /usr/bin/genesys_exporter, the .deb's path.
include(GNUInstallDirs)
# cpack and `make install` package what is built and do not build everything first (the tests
# included): tests/scripts/deb_package_test.sh runs cpack on the build folder under test.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(GX_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/genesys_exporter)
set(GX_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/genesys-exporter)

if(TARGET genesys_exporter)
  install(TARGETS genesys_exporter RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT exporter)
endif()
if(TARGET genesys_sim)
  install(TARGETS genesys_sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT simulator EXCLUDE_FROM_ALL)
endif()
install(DIRECTORY rules/ DESTINATION ${GX_SHARE_DIR}/rules COMPONENT exporter
  FILES_MATCHING PATTERN "*.yml" PATTERN tests EXCLUDE)
install(PROGRAMS rules/render DESTINATION ${GX_SHARE_DIR}/rules COMPONENT exporter)
install(DIRECTORY dashboards/ DESTINATION ${GX_SHARE_DIR}/dashboards COMPONENT exporter
  FILES_MATCHING PATTERN "*.json" PATTERN "*.yml")
install(FILES packaging/config.example.yml DESTINATION ${GX_SHARE_DIR} COMPONENT exporter)
install(FILES README.md DESTINATION ${GX_DOC_DIR} COMPONENT exporter)
install(DIRECTORY docs/ DESTINATION ${GX_DOC_DIR}/docs COMPONENT exporter FILES_MATCHING PATTERN "*.md")

install(FILES packaging/genesys-exporter.service packaging/genesys-exporter.socket DESTINATION /lib/systemd/system
  COMPONENT system EXCLUDE_FROM_ALL)
# Root-only: it holds the OAuth client secret (systemd reads it before dropping privileges).
install(FILES packaging/genesys-exporter.default DESTINATION /etc/default RENAME genesys-exporter
  PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT system EXCLUDE_FROM_ALL)
install(FILES packaging/config.example.yml DESTINATION /etc/genesys_exporter RENAME config.yml
  COMPONENT system EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME genesys-exporter)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter and alert bridge for Genesys Cloud telephony")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Polls the Genesys Cloud API and its notification stream for the registration
of phones and stations and the health of SIP trunks and edges, and probes the carriers'
SIP-TLS certificates. Serves /metrics for Prometheus and a JSON dashboard, and sends webhooks
from a durable spool. Ships a hardened systemd unit, the Prometheus rules and the Grafana
dashboards.")
set(GX_DEB_MAINTAINER "genesys_exporter maintainers <genesys-exporter@localhost>" CACHE STRING
  "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${GX_DEB_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The shared libraries come from dpkg-shlibdeps; the CA store is read at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus, python3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/deb/conffiles ${CMAKE_SOURCE_DIR}/packaging/deb/postinst
  ${CMAKE_SOURCE_DIR}/packaging/deb/prerm ${CMAKE_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES ON)
# One package of the exporter and its system files; the simulator stays out.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL exporter system)
include(CPack)
