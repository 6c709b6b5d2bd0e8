/* version.h - the library version, also used in commitInfo.engineInfo ("lakerewind/<version>"). */
#ifndef LAKEREWIND_VERSION_H
#define LAKEREWIND_VERSION_H

/* Static storage, e.g. "0.1.0". */
const char *lr_version(void);
/* Static storage, e.g. "lakerewind/0.1.0". */
const char *lr_engine_info(void);

#endif
