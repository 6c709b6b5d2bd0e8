/* version.c - the version string compiled in by CMake (project(VERSION)). */
#include "lakerewind/version.h"

const char *lr_version(void)
{
    return LR_VERSION_STRING;
}

const char *lr_engine_info(void)
{
    return "lakerewind/" LR_VERSION_STRING;
}
