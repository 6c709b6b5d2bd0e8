/* config.h - the configuration file: where it is, what keys it has, and the resolved settings.
 *
 * One declarative table (lr_config_keys()) lists every key: its path, type, whether it is
 * required or secret, its default and its documentation. The same table drives the loader
 * (unknown keys, types, required values), the resolver (defaults, environment overrides, where
 * each value lands in struct lr_settings) and the documentation check against
 * config/lakerewind.example.yaml.
 *
 * Where the file is (lr_config_find): --config FILE, else $XDG_CONFIG_HOME/lakerewind/config.yaml
 * ($XDG_CONFIG_HOME defaults to ~/.config), else /etc/lakerewind/config.yaml, else no file: the
 * built-in defaults.
 *
 * Profiles: `profiles.<name>` sections describe lakehouses (dev, test, prod). The profile used is
 * the one asked for (--profile), else `default_profile`, else the only profile when there is
 * exactly one, else none (settings from defaults, with a warning when several exist).
 *
 * Environment overrides (for secrets, so they need not sit in a file). With the selected
 * profile's name upper-cased and every character other than A-Z and 0-9 turned into '_' (no
 * profile: DEFAULT):
 *   LAKEREWIND_<PROFILE>_STORAGE_<OPTION>  sets storage option <option> (lower-cased), e.g.
 *       LAKEREWIND_PROD_STORAGE_AZURE_STORAGE_ACCOUNT_KEY -> azure_storage_account_key
 *   LAKEREWIND_<PROFILE>_<KEY>             sets a secret key of the profile, its path with '.'
 *       turned into '_', e.g. LAKEREWIND_PROD_WEBHOOK_URL -> profiles.prod.webhook.url
 * Environment values win over the file. Independently, when a profile's
 * `use_env_credentials` is true (the default) the store backends also read the standard
 * AZURE_* and AWS_* variables (see store.h); options given here win over those. Every secret
 * value met (file or environment) is registered with lr_redact_register().
 *
 * Errors: bad YAML, an unknown key (with the nearest known key suggested), a wrong type, a
 * missing required value, a profile that does not exist: LR_EINVAL whose message ends in
 * "file:line:column: expected <the form wanted>". Warnings (a file holding a secret that other
 * users can read, unused LAKEREWIND_<PROFILE>_* variables, ...) are returned in the settings,
 * never printed: the front end prints them. */
#ifndef LAKEREWIND_CONFIG_H
#define LAKEREWIND_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/str.h"
#include "lakerewind/store.h"

#define LR_CONFIG_SYSTEM_PATH "/etc/lakerewind/config.yaml"
#define LR_CONFIG_MAX_BYTES (1024 * 1024)

/* ---- the key table ---------------------------------------------------------------------- */

enum lr_config_type {
    LR_CFG_STRING = 1, /* any scalar, kept as text -> char * */
    LR_CFG_URI,        /* a lakehouse URI that lr_uri_parse() accepts -> char * */
    LR_CFG_INT,        /* decimal integer within [min, max] -> int64_t */
    LR_CFG_NUMBER,     /* decimal number within [min, max] -> double */
    LR_CFG_BOOL,       /* true/false (also yes/no, on/off) -> bool */
    LR_CFG_DURATION,   /* integer + unit: 500ms, 45s, 15m, 12h, 30d, 2w -> int64_t milliseconds */
    LR_CFG_SIZE,       /* number + optional unit: 512, 100MB, 10GiB -> int64_t bytes */
    LR_CFG_ENUM,       /* one of `choices` ("low|medium|high") -> int index */
    LR_CFG_LIST,       /* list of text -> struct lr_strvec */
    LR_CFG_MAP,        /* text -> text (keys from `choices` when set) -> struct lr_config_map */
    LR_CFG_MAP_LIST,   /* text -> list of text (a single text = a one-item list)
                          -> struct lr_config_multimap */
};

enum lr_config_scope {
    LR_CFG_SCOPE_SETTINGS = 1, /* offset is into struct lr_settings */
    LR_CFG_SCOPE_PROFILE,      /* path starts "profiles.*."; offset into struct lr_profile */
};

struct lr_config_key {
    const char *path;     /* "log.level", "profiles.*.risk.high.bytes" ('*' = a profile name) */
    enum lr_config_type type;
    bool required;        /* must be present (non-null) whenever its section is */
    bool secret;          /* never shown; may be set from the environment */
    const char *def;      /* default, written as in the file; NULL = unset (NULL/0/empty) */
    const char *choices;  /* LR_CFG_ENUM values, or LR_CFG_MAP allowed keys, '|'-separated */
    int64_t min, max;     /* LR_CFG_INT / LR_CFG_NUMBER bounds (min == max: unbounded) */
    const char *doc;      /* one line of documentation */
    enum lr_config_scope scope;
    size_t offset;        /* where the resolved value lives (see scope) */
};

/* The table, in documentation order. Static storage. */
const struct lr_config_key *lr_config_keys(size_t *count);
/* The key for a path pattern ("profiles.*.parallel"), or NULL. */
const struct lr_config_key *lr_config_key_find(const char *pattern);
/* Describe the form a key's value takes ("a duration such as 30d, 12h or 15m"). Static or
 * per-key storage; never NULL. Used in error messages and `config keys`. */
const char *lr_config_key_form(const struct lr_config_key *k, char *buf, size_t cap);
/* Whether a storage option name holds a secret (account keys, SAS tokens, client secrets,
 * session tokens, passwords): names containing "secret", "token", "password", "sas" or
 * "signature", or ending in "_key". */
bool lr_config_storage_option_is_secret(const char *name);

/* ---- resolved values -------------------------------------------------------------------- */

/* A text -> text map. Owned by the settings it belongs to: items and both strings of each. */
struct lr_config_map {
    struct lr_kv *items;
    size_t count;
};
/* Value of `key` or NULL. Borrowed. */
const char *lr_config_map_get(const struct lr_config_map *m, const char *key);

struct lr_config_names {
    char *key;              /* owned */
    struct lr_strvec names; /* owned */
};
/* A text -> list of text map. Owned by the settings it belongs to. */
struct lr_config_multimap {
    struct lr_config_names *items;
    size_t count;
};
/* The list for `key` or NULL. Borrowed. */
const struct lr_strvec *lr_config_multimap_get(const struct lr_config_multimap *m,
                                               const char *key);

enum lr_config_level { LR_CONFIG_LOW = 0, LR_CONFIG_MEDIUM = 1, LR_CONFIG_HIGH = 2 };

/* A table reaches a risk level when any threshold is reached (0 disables that threshold). */
struct lr_config_risk_level {
    double rows_changed_pct; /* |rows now - rows then| / rows then * 100 */
    int64_t rows_changed;    /* |rows now - rows then| */
    int64_t commits_undone;
    int64_t bytes;           /* bytes added back plus bytes removed */
    int64_t time_span_ms;    /* last undone commit's time minus the first's */
};

/* One lakehouse. Every char * and container is owned by the struct lr_settings holding it. */
struct lr_profile {
    char *lakehouse;                 /* root URI; NULL when not configured */
    struct lr_config_map storage;    /* store options, passed to lr_store_open() */
    bool use_env_credentials;        /* backends also read AZURE_* / AWS_* */
    char *metadata_location;         /* key prefix of the metadata tables ("Tables/metadata") */
    char *tables_location;           /* key prefix tables are discovered under ("Tables") */
    struct lr_strvec tables;         /* explicit table list; empty = discover */
    bool read_only;                  /* never write */
    bool single_writer;              /* the operator vouches no other writer exists (stores
                                        without conditional create may then commit); when true
                                        the storage options also carry single_writer=true */
    char *operator_name;             /* recorded in audit rows when no identity is known */
    int64_t parallel;                /* tables restored at once */
    struct lr_config_risk_level risk_high;
    struct lr_config_risk_level risk_medium;
    int schema_change_risk;          /* enum lr_config_level of a schema change */
    struct lr_config_multimap relationships; /* table -> related tables */
    struct lr_config_multimap primary_keys;  /* table -> key columns */
    struct lr_strvec streaming_tables;       /* tables with streaming / CDF consumers */
    struct lr_strvec tracking_columns;       /* e.g. SinkModifiedOn */
    char *webhook_url;               /* secret; NULL = no notifications */
    int64_t webhook_timeout_ms;
    int64_t retention_checkpoint_ms; /* default checkpoint retention */
    int64_t retention_post_rollback_ms;
    int64_t retention_warn_ms;       /* warn this long before a checkpoint expires */
};

struct lr_ui_settings {
    char *theme;              /* theme name or path */
    struct lr_config_map keys; /* action -> key ("restore" -> "R") */
    bool mouse;
    bool ascii;
};

struct lr_log_settings {
    char *file;  /* debug log path ("~/" expanded); NULL = no log */
    int level;   /* enum lr_log_level */
};

/* Where one resolved value came from, for `config check`. All strings owned. */
struct lr_setting_origin {
    char *path;   /* concrete path: "profiles.prod.parallel", "log.level" */
    char *value;  /* display text; "***" for secrets */
    char *origin; /* "file:line:column", "env NAME" or "default" */
};

struct lr_settings {
    char *source;                 /* the file read, or NULL for built-in defaults */
    char *profile_name;           /* the selected profile, or "default" when none */
    bool has_profile;             /* a profiles.<name> section was selected */
    struct lr_strvec profile_names; /* every profile in the file, in file order */
    char *default_profile;        /* the default_profile key */
    struct lr_profile profile;
    struct lr_ui_settings ui;
    struct lr_log_settings log;
    struct lr_strvec warnings;    /* one line each; the front end prints them */
    struct lr_setting_origin *origins; /* every key of the selected scope, table order */
    size_t origin_count;
};

/* Release everything the settings own; leaves it zeroed. NULL-safe. */
void lr_settings_free(struct lr_settings *s);

/* Store options for lr_store_open(): borrowed from `p` (valid while the settings live). */
void lr_profile_store_options(const struct lr_profile *p, struct lr_store_options *out);

/* ---- finding, loading, resolving -------------------------------------------------------- */

/* The candidate files in search order (without --config): the XDG one, then the system one.
 * Appends owned strings to `out`. 0 or LR_ENOMEM. */
int lr_config_search_paths(struct lr_strvec *out);

/* Which file to read: `explicit_path` when not NULL (it must exist: LR_ENOTFOUND otherwise),
 * else the first existing search path. *out is a malloc'd path the caller frees, or NULL when
 * no file exists (built-in defaults). */
int lr_config_find(char **out, const char *explicit_path, struct lr_error *err);

/* A loaded and validated file (opaque). Free with lr_config_free(). */
struct lr_config;

/* Read and validate `path` (at most LR_CONFIG_MAX_BYTES). Errors as described at the top;
 * LR_ENOTFOUND / LR_EPERM / LR_EIO when the file cannot be read. */
int lr_config_load_file(struct lr_config **out, const char *path, struct lr_error *err);
/* Validate YAML text; `name` names it in messages. No permission check. */
int lr_config_load_text(struct lr_config **out, const char *name, const char *text, size_t len,
                        struct lr_error *err);
/* An empty configuration: the built-in defaults. */
int lr_config_load_defaults(struct lr_config **out, struct lr_error *err);
void lr_config_free(struct lr_config *cfg);

/* The key patterns present in the file ("profiles.*.risk.high.bytes"), sorted, one each.
 * Borrowed; for the documentation check. */
const struct lr_strvec *lr_config_present_keys(const struct lr_config *cfg);

/* Resolve the settings for `profile` (NULL: the default rule above) from the file, the
 * environment and the defaults. `out` is caller-owned; free with lr_settings_free(), also on
 * failure. Errors: an unknown profile (LR_EINVAL, positioned at `profiles` or
 * `default_profile`), a bad environment value (LR_EINVAL naming the variable). */
int lr_config_resolve(const struct lr_config *cfg, const char *profile, struct lr_settings *out,
                      struct lr_error *err);

/* Find, load and resolve in one call: what the front end uses. */
int lr_settings_load(struct lr_settings *out, const char *explicit_path, const char *profile,
                     struct lr_error *err);

#endif
