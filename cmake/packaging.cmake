# Install rules, the man page, the pkg-config file and the Debian package.
#
#   cmake --install build [--prefix DIR]     bin/hashjoule, lib/libhashjoule.a,
#       include/hashjoule/*.h, lib/pkgconfig/hashjoule.pc,
#       lib/cmake/hashjoule/ (find_package(hashjoule): hashjoule::hashjoule),
#       share/hashjoule/data/*.json (the embedded defaults, as files to copy
#       and edit for --asics etc.), share/hashjoule/kernels/opencl/*.cl,
#       share/man/man1/hashjoule.1, share/doc/hashjoule/
#   (cd build && cpack -G DEB)              hashjoule_<version>_<arch>.deb
#
# The binary needs none of the installed files at run time (the data and the
# OpenCL kernel are compiled in), so it works from any directory.
include(GNUInstallDirs)

install(TARGETS hashjoule_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS hashjoule EXPORT hashjouleTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/hashjoule DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hashjoule/data
        FILES_MATCHING PATTERN "*.json" PATTERN "README.md")
file(GLOB HJ_OPENCL_SOURCES ${PROJECT_SOURCE_DIR}/kernels/opencl/*.cl)
if(HJ_OPENCL_SOURCES)
  install(FILES ${HJ_OPENCL_SOURCES} DESTINATION ${CMAKE_INSTALL_DATADIR}/hashjoule/kernels/opencl)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/schema/bench-results-v1.schema.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")

# pkg-config: relocatable (paths relative to the .pc file), so the library can
# be used from an unpacked .deb or a --prefix install as well. The library is
# static: every library it uses is in Requires/Libs, not .private.
configure_file(${PROJECT_SOURCE_DIR}/cmake/hashjoule.pc.in ${PROJECT_BINARY_DIR}/hashjoule.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hashjoule.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package: find_package(hashjoule) -> hashjoule::hashjoule, relocatable
# like the pkg-config file.
include(CMakePackageConfigHelpers)
set(HJ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hashjoule)
install(EXPORT hashjouleTargets NAMESPACE hashjoule:: DESTINATION ${HJ_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/hashjouleConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/hashjouleConfig.cmake INSTALL_DESTINATION ${HJ_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hashjouleConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hashjouleConfig.cmake ${PROJECT_BINARY_DIR}/hashjouleConfigVersion.cmake
        DESTINATION ${HJ_CMAKE_DIR})

# The man page, generated from --help by help2man (Debian: help2man); every
# command's --help goes in as its own section.
find_program(HJ_HELP2MAN help2man)
if(HJ_HELP2MAN)
  set(HJ_MAN ${PROJECT_BINARY_DIR}/man/hashjoule.1)
  add_custom_command(OUTPUT ${HJ_MAN}
    COMMAND ${CMAKE_COMMAND} -DHJ=$<TARGET_FILE:hashjoule_cli> -DHELP2MAN=${HJ_HELP2MAN} -DOUT=${HJ_MAN}
            -P ${PROJECT_SOURCE_DIR}/cmake/manpage.cmake
    DEPENDS hashjoule_cli ${PROJECT_SOURCE_DIR}/cmake/manpage.cmake
    COMMENT "Generating the man page with help2man")
  add_custom_target(hj_manpage ALL DEPENDS ${HJ_MAN})
  install(FILES ${HJ_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (Debian: help2man)")
endif()

# --- CPack: a .deb -------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hashjoule)
set(CPACK_PACKAGE_VENDOR "hashjoule")
set(CPACK_PACKAGE_CONTACT "hashjoule maintainers <hashjoule@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SHA-256d nonce scanning measured in hashes per second and per joule")
set(CPACK_PACKAGE_DESCRIPTION
    "Optimized SHA-256d nonce-scanning kernels for CPUs and OpenCL devices, hashes per second and per joule from real energy sensors (RAPL, perf, NVML, amdgpu hwmon, a wall meter), fleet economics and a regression compare. Includes the static library libhashjoule, its headers and a pkg-config file.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The binary's run-time dependencies from its ELF (dpkg-shlibdeps: libhwloc15,
# libcpuid15, libjansson4, libcurl4, ocl-icd-libopencl1, libc6).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# An OpenCL platform is optional (PoCL runs OpenCL on the CPU); the -dev
# packages are what a program linking the static libhashjoule needs.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pocl-opencl-icd | opencl-icd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libhwloc-dev, libcpuid-dev, libjansson-dev, libcurl4-openssl-dev, ocl-icd-opencl-dev, pkg-config")
set(CPACK_SOURCE_IGNORE_FILES "/build.*/;/\\\\.git/;/results/")
include(CPack)
