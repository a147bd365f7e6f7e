# Every dependency comes from Debian's packages (see scripts/deps.sh).
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(CLI11 REQUIRED IMPORTED_TARGET CLI11)
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)          # TOTP
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)  # enrolment QR codes
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)  # NFC and categories of names (src/core/text.cpp)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)          # the PostgreSQL backend (src/store/postgres)

# Asio and Beast are compiled once (src/core/asio_impl.cpp), not in every translation unit.
add_library(parley_boost INTERFACE)
target_compile_definitions(parley_boost INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_BEAST_USE_STD_STRING_VIEW)
target_link_libraries(parley_boost INTERFACE Boost::headers Boost::json Boost::url Threads::Threads)
