/* str.h - small string helpers used across core/ and tui/.
 * Every function returning char * returns a malloc'd string the caller frees, or NULL on ENOMEM. */
#ifndef LAKEREWIND_STR_H
#define LAKEREWIND_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

char *lr_strdup(const char *s);                     /* NULL-safe: NULL -> NULL */
char *lr_strndup(const char *s, size_t n);
char *lr_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *lr_path_join(const char *a, const char *b);   /* "a" + "/" + "b", no doubled '/' */
bool lr_str_starts_with(const char *s, const char *prefix);
bool lr_str_ends_with(const char *s, const char *suffix);
/* Strict decimal parse of the whole string; false on junk, sign where not allowed, overflow. */
bool lr_parse_int64(const char *s, int64_t *out);
bool lr_parse_uint64(const char *s, uint64_t *out);

/* A growable vector of owned strings. */
struct lr_strvec {
    char **items;
    size_t count;
    size_t cap;
};
int lr_strvec_push(struct lr_strvec *v, const char *s);   /* copies; 0 or LR_ENOMEM */
int lr_strvec_push_owned(struct lr_strvec *v, char *s);   /* takes s; on failure frees it */
void lr_strvec_sort(struct lr_strvec *v);                 /* bytewise (strcmp) order */
void lr_strvec_free(struct lr_strvec *v);

#endif
