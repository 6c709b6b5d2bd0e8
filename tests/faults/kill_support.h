/* kill_support.h - helpers the kill tests share (static inline only; included by each). */
#ifndef LR_KILL_SUPPORT_H
#define LR_KILL_SUPPORT_H

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lakerewind/str.h"
#include "testsupport.h"

/* The confirmation phrase of a `rollback --dry-run --json` output; caller frees. */
static inline char *phrase_of(const char *json_text)
{
    json_t *j = lr_test_json(json_text);
    char *p = lr_strdup(json_string_value(json_object_get(j, "confirmation_phrase")));
    json_decref(j);
    assert_non_null(p);
    return p;
}

/* The run directory under the journal prefix of `lake`, or "" while the run has not
 * journaled (a kill may come before its first entry). */
static inline void run_dir(const char *lake, char *out, size_t cap)
{
    char base[4096];
    snprintf(base, sizeof base, "%s/Files/_lakerewind/runs", lake);
    out[0] = '\0';
    DIR *d = opendir(base);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strlen(e->d_name) < cap)
            memcpy(out, e->d_name, strlen(e->d_name) + 1);
    closedir(d);
}

#endif
