/* xml.h - internal: a small, strict-enough XML scanner for store listings and error bodies.
 *
 * Azure List Blobs, S3 ListObjectsV2 and both services' <Error> documents are flat, small and
 * namespace-free (or use one default namespace); this scanner walks such a document and reports
 * each element's opening (with its raw attribute text) and closing (with its decoded direct
 * text) by a '/'-joined path of local names ("EnumerationResults/Blobs/Blob/Name"). It decodes
 * the five predefined entities and numeric character references, skips the prolog, comments,
 * processing instructions and DOCTYPE, and handles CDATA. It refuses unbalanced tags, depth
 * beyond 32 and paths beyond 512 bytes. No DTDs, no external entities: nothing is fetched. */
#ifndef LR_STORE_XML_H
#define LR_STORE_XML_H

#include <stddef.h>

#include "lakerewind/error.h"

struct lr_xml_handler {
    /* Both may be NULL; a negative return stops the scan and is returned by lr_xml_scan(). */
    int (*open)(void *ctx, const char *path, const char *attrs, size_t attrs_len);
    int (*close)(void *ctx, const char *path, const char *text, size_t text_len);
    void *ctx;
};

/* Scan `len` bytes of `data`. 0, a handler's negative code, or LR_ECORRUPT naming `what`. */
int lr_xml_scan(const char *data, size_t len, const struct lr_xml_handler *h, const char *what,
                struct lr_error *err);

/* The value of attribute `name` in raw attribute text (unquoted, entities NOT decoded) into
 * buf; 0 when found, -1 when absent or too long. */
int lr_xml_attr(const char *attrs, size_t attrs_len, const char *name, char *buf, size_t cap);

/* The decoded text of the first element whose local name is `name` (e.g. "Code"), into buf.
 * 0 when found, -1 when not. For error bodies. */
int lr_xml_first_text(const char *data, size_t len, const char *name, char *buf, size_t cap);

#endif
