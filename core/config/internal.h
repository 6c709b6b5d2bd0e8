/* internal.h - shared between the config loader, value parsers and resolver (not public). */
#ifndef LR_CONFIG_INTERNAL_H
#define LR_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/config.h"
#include "lakerewind/yaml.h"

/* One leaf value found in the file. */
struct cfg_entry {
    char *path;                        /* concrete: "profiles.prod.parallel" (owned) */
    const struct lr_config_key *key;
    const struct lr_yaml_node *node;   /* borrowed from the config's document; never null */
};

struct lr_config {
    char *name;                 /* file name for messages, NULL for built-in defaults */
    struct lr_yaml_doc doc;
    struct cfg_entry *entries;
    size_t count;
    size_t cap;
    struct lr_strvec present;   /* key patterns present */
    struct lr_strvec profiles;  /* profile names, file order */
    const struct lr_yaml_node *profiles_key; /* the `profiles` key node (for positions) */
    struct lr_strvec warnings;
    char *secret_path;          /* first secret value in the file, or NULL */
};

/* A scalar parsed for a key. */
struct cfg_scalar {
    char *s;     /* STRING, URI (owned by the caller after a successful parse) */
    int64_t i;   /* INT, DURATION, SIZE */
    double d;    /* NUMBER */
    bool b;      /* BOOL */
    int choice;  /* ENUM */
};

/* Parse `text` as key k's scalar type. 0, LR_EINVAL (not that form) or LR_ENOMEM. */
int cfg_parse_scalar(const struct lr_config_key *k, const char *text, struct cfg_scalar *out);
/* Nearest candidate to `word` (case-insensitive, optimal string alignment distance), or NULL
 * when none is close. */
const char *cfg_nearest(const char *word, const char *const *candidates, size_t n);
/* True for LIST / MAP / MAP_LIST. */
bool cfg_type_is_container(enum lr_config_type t);
/* A valid profile name: 1-64 of [A-Za-z0-9_-]. */
bool cfg_profile_name_ok(const char *name);
/* Render milliseconds / bytes in the units a user writes ("30d", "10GiB"). */
void cfg_format_duration(int64_t ms, char *buf, size_t cap);
void cfg_format_size(int64_t bytes, char *buf, size_t cap);
/* Index of `choice` in a '|'-separated list (case-insensitive), or -1. Name of index i. */
int cfg_choice_index(const char *choices, const char *choice);
void cfg_choice_name(const char *choices, int index, char *buf, size_t cap);

#endif
