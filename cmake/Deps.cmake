# The one place that lists what lakerewind needs from Debian 12.
# LR_DEBIAN_PACKAGES is read by ./dev (the installer) too: keep it in sync with the checks below.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' (or run ./dev deps)")
endif()

function(lr_require_pkg var module debpkg why)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "missing ${module} (${why}): install the Debian package '${debpkg}' (or run ./dev deps)")
  endif()
endfunction()

lr_require_pkg(LR_NCURSES ncursesw  libncursesw5-dev     "the console")
lr_require_pkg(LR_CURL    libcurl   libcurl4-openssl-dev "HTTP to Azure and S3")
lr_require_pkg(LR_JANSSON jansson   libjansson-dev       "Delta log JSON")
lr_require_pkg(LR_YAML    yaml-0.1  libyaml-dev          "config and themes")
lr_require_pkg(LR_SNAPPY  snappy    libsnappy-dev        "Parquet SNAPPY pages")
lr_require_pkg(LR_ZSTD    libzstd   libzstd-dev          "Parquet ZSTD pages")
lr_require_pkg(LR_ZLIB    zlib      zlib1g-dev           "Parquet GZIP pages")
lr_require_pkg(LR_LZ4     liblz4    liblz4-dev           "Parquet LZ4_RAW pages")
lr_require_pkg(LR_CRYPTO  libcrypto libssl-dev           "HMAC-SHA256 request signing, digests")
find_package(Threads REQUIRED)
