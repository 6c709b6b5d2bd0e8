/* load.c - reading a configuration file and validating it against the key table.
 * Owns: file reading (size bound, permission warning), the walk over the YAML tree that finds
 * unknown keys, wrong types and missing required values, and the list of leaf entries the
 * resolver reads. Does not own: defaults, the environment, profile selection (resolve.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"

#define MAX_CHILDREN 64
#define MAX_VISITS 200000 /* aliases can share subtrees: bound the walk, not just the nodes */

struct walker {
    struct lr_config *cfg;
    struct lr_error *err;
    size_t visits;
};

/* The distinct next path segments of keys under `prefix` ("" = top level). */
static size_t children_of(const char *prefix, const char **out, size_t cap)
{
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    size_t pl = strlen(prefix);
    size_t n = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const char *p = keys[i].path;
        if (pl) {
            if (strncmp(p, prefix, pl) != 0 || p[pl] != '.')
                continue;
            p += pl + 1;
        }
        size_t seg = strcspn(p, ".");
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strlen(out[j]) == seg && strncmp(out[j], p, seg) == 0;
        if (seen || n >= cap)
            continue;
        /* Point into the table's static strings; callers compare with a length. */
        out[n++] = p;
    }
    return n;
}

/* A child segment name as its own string (segments live inside longer paths). */
static void seg_copy(const char *seg, char *buf, size_t cap)
{
    size_t n = strcspn(seg, ".");
    snprintf(buf, cap, "%.*s", (int)n, seg);
}

static bool is_section(const char *pattern)
{
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    size_t pl = strlen(pattern);
    for (size_t i = 0; i < nkeys; i++)
        if (strncmp(keys[i].path, pattern, pl) == 0 && keys[i].path[pl] == '.')
            return true;
    return false;
}

static char *join(const char *a, const char *b)
{
    return *a ? lr_asprintf("%s.%s", a, b) : lr_strdup(b);
}

static int nomem(struct lr_error *err)
{
    return lr_error_set(err, LR_ENOMEM, "out of memory reading the configuration");
}

static int unknown_key(struct walker *w, const struct lr_yaml_node *k, const char *pattern,
                       const char *concrete_prefix)
{
    const char *kids[MAX_CHILDREN];
    size_t n = children_of(pattern, kids, MAX_CHILDREN);
    char names[MAX_CHILDREN][64];
    const char *cands[MAX_CHILDREN];
    char expected[900] = "one of: ";
    for (size_t i = 0; i < n; i++) {
        seg_copy(kids[i], names[i], sizeof names[i]);
        cands[i] = names[i];
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s", i ? ", " : "", names[i]);
    }
    const char *name = k->value;
    char hint[300] = "";
    const char *near = cfg_nearest(name, cands, n);
    if (near) {
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
    } else {
        /* Maybe it belongs in another section: the same name elsewhere in the table. */
        size_t nkeys;
        const struct lr_config_key *keys = lr_config_keys(&nkeys);
        for (size_t i = 0; i < nkeys; i++) {
            const char *last = strrchr(keys[i].path, '.');
            last = last ? last + 1 : keys[i].path;
            if (strcasecmp(last, name) == 0) {
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", keys[i].path);
                break;
            }
        }
    }
    const char *where = *concrete_prefix ? concrete_prefix : "the top level";
    return lr_yaml_error(w->err, &w->cfg->doc, k, expected, "unknown key '%s' in %s%s", name,
                         where, hint);
}

static int wrong_type(struct walker *w, const struct lr_yaml_node *v, const char *path,
                      const struct lr_config_key *key, const char *what)
{
    char buf[256];
    return lr_yaml_error(w->err, &w->cfg->doc, v, lr_config_key_form(key, buf, sizeof buf),
                         "%s: %s", path, what);
}

static const char *kind_name(const struct lr_yaml_node *v)
{
    return v->kind == LR_YAML_MAP ? "a mapping" : v->kind == LR_YAML_SEQ ? "a list" : "text";
}

static void note_secret(struct lr_config *cfg, const char *path)
{
    if (!cfg->secret_path)
        cfg->secret_path = lr_strdup(path);
}

static int check_scalar(struct walker *w, const struct lr_yaml_node *v, const char *path,
                        const struct lr_config_key *key)
{
    if (v->kind != LR_YAML_SCALAR) {
        char what[200];
        snprintf(what, sizeof what, "%s where a single value belongs", kind_name(v));
        return wrong_type(w, v, path, key, what);
    }
    struct cfg_scalar sc;
    int rc = cfg_parse_scalar(key, v->value, &sc);
    free(sc.s);
    if (rc == LR_ENOMEM)
        return nomem(w->err);
    if (rc < 0) {
        char what[300];
        snprintf(what, sizeof what, "'%.200s' is not valid", v->value);
        return wrong_type(w, v, path, key, what);
    }
    return 0;
}

static int check_names(struct walker *w, const struct lr_yaml_node *v, const char *path,
                       const struct lr_config_key *key, bool allow_single)
{
    if (allow_single && v->kind == LR_YAML_SCALAR && !lr_yaml_is_null(v))
        return 0;
    if (v->kind != LR_YAML_SEQ)
        return wrong_type(w, v, path, key,
                          v->kind == LR_YAML_MAP ? "a mapping where a list belongs"
                                                 : "a single value where a list belongs");
    for (size_t i = 0; i < v->count; i++) {
        const struct lr_yaml_node *it = v->items[i];
        if (it->kind != LR_YAML_SCALAR || lr_yaml_is_null(it) || !*it->value)
            return wrong_type(w, it, path, key, "a list item that is not a non-empty name");
    }
    return 0;
}

static int check_map(struct walker *w, const struct lr_yaml_node *v, const char *path,
                     const struct lr_config_key *key)
{
    if (v->kind != LR_YAML_MAP)
        return wrong_type(w, v, path, key,
                          v->kind == LR_YAML_SEQ ? "a list where a mapping belongs"
                                                 : "a single value where a mapping belongs");
    bool is_storage = strcmp(key->path, "profiles.*.storage") == 0;
    for (size_t i = 0; i < v->count; i++) {
        const struct lr_yaml_node *k = v->items[2 * i];
        const struct lr_yaml_node *val = v->items[2 * i + 1];
        if (!*k->value)
            return wrong_type(w, k, path, key, "an empty name");
        if (key->choices && cfg_choice_index(key->choices, k->value) < 0) {
            char buf[256];
            const char *cands[32];
            char names[32][32];
            size_t n = 0;
            for (int c = 0; n < 32; c++) {
                cfg_choice_name(key->choices, c, names[n], sizeof names[n]);
                if (strcmp(names[n], "?") == 0)
                    break;
                cands[n] = names[n];
                n++;
            }
            const char *near = cfg_nearest(k->value, cands, n);
            char hint[200] = "";
            if (near)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
            return lr_yaml_error(w->err, &w->cfg->doc, k,
                                 lr_config_key_form(key, buf, sizeof buf),
                                 "unknown key '%s' in %s%s", k->value, path, hint);
        }
        if (key->type == LR_CFG_MAP) {
            if (val->kind != LR_YAML_SCALAR || lr_yaml_is_null(val))
                return wrong_type(w, val, path, key,
                                  val->kind == LR_YAML_SCALAR ? "an option without a value"
                                                              : "a nested value in an option");
            if (key->choices) {
                /* A fixed set of names (key bindings): no empty value, no value twice. */
                if (!*val->value)
                    return wrong_type(w, val, path, key, "an empty value");
                for (size_t j = 0; j < i; j++) {
                    if (strcmp(v->items[2 * j + 1]->value, val->value) != 0)
                        continue;
                    char expected[200];
                    snprintf(expected, sizeof expected, "a value not already used by '%s'",
                             v->items[2 * j]->value);
                    return lr_yaml_error(w->err, &w->cfg->doc, val, expected,
                                         "%s: '%s' given to both %s and %s", path, val->value,
                                         v->items[2 * j]->value, k->value);
                }
            }
            if (is_storage && lr_config_storage_option_is_secret(k->value)) {
                char *p = lr_asprintf("%s.%s", path, k->value);
                if (!p)
                    return nomem(w->err);
                note_secret(w->cfg, p);
                free(p);
            }
        } else {
            int rc = check_names(w, val, path, key, true);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int add_entry(struct lr_config *cfg, const char *path, const struct lr_config_key *key,
                     const struct lr_yaml_node *node)
{
    if (cfg->count == cfg->cap) {
        size_t cap = cfg->cap ? cfg->cap * 2 : 32;
        struct cfg_entry *p = realloc(cfg->entries, cap * sizeof *p);
        if (!p)
            return LR_ENOMEM;
        cfg->entries = p;
        cfg->cap = cap;
    }
    char *copy = lr_strdup(path);
    if (!copy)
        return LR_ENOMEM;
    cfg->entries[cfg->count].path = copy;
    cfg->entries[cfg->count].key = key;
    cfg->entries[cfg->count].node = node;
    cfg->count++;
    return 0;
}

static int note_present(struct lr_config *cfg, const char *pattern)
{
    for (size_t i = 0; i < cfg->present.count; i++)
        if (strcmp(cfg->present.items[i], pattern) == 0)
            return 0;
    return lr_strvec_push(&cfg->present, pattern);
}

static int check_leaf(struct walker *w, const struct lr_yaml_node *k,
                      const struct lr_yaml_node *v, const char *path,
                      const struct lr_config_key *key)
{
    if (note_present(w->cfg, key->path) < 0)
        return nomem(w->err);
    if (lr_yaml_is_null(v)) {
        if (key->required) {
            char buf[256];
            return lr_yaml_error(w->err, &w->cfg->doc, v,
                                 lr_config_key_form(key, buf, sizeof buf),
                                 "%s: the required value is missing", path);
        }
        return 0;
    }
    int rc;
    switch (key->type) {
    case LR_CFG_LIST:
        rc = check_names(w, v, path, key, false);
        break;
    case LR_CFG_MAP:
    case LR_CFG_MAP_LIST:
        rc = check_map(w, v, path, key);
        break;
    default:
        rc = check_scalar(w, v, path, key);
        break;
    }
    if (rc < 0)
        return rc;
    if (key->secret)
        note_secret(w->cfg, path);
    (void)k;
    return add_entry(w->cfg, path, key, v) < 0 ? nomem(w->err) : 0;
}

static int walk_section(struct walker *w, const struct lr_yaml_node *map, const char *pattern,
                        const char *concrete);

static int check_required(struct walker *w, const struct lr_yaml_node *map, const char *pattern,
                          const char *concrete)
{
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    size_t pl = strlen(pattern);
    for (size_t i = 0; i < nkeys; i++) {
        const char *p = keys[i].path;
        if (!keys[i].required || strncmp(p, pattern, pl) != 0 || p[pl] != '.' ||
            strchr(p + pl + 1, '.'))
            continue;
        const char *name = p + pl + 1;
        if (lr_yaml_map_get(map, name))
            continue; /* present: a null value was reported by check_leaf */
        char buf[256];
        char expected[600];
        snprintf(expected, sizeof expected, "'%s: ...' in this section (%s)", name,
                 lr_config_key_form(&keys[i], buf, sizeof buf));
        return lr_yaml_error(w->err, &w->cfg->doc, map, expected,
                             "%s is missing the required key '%s'", concrete, name);
    }
    return 0;
}

static int walk_pair(struct walker *w, const struct lr_yaml_node *k, const struct lr_yaml_node *v,
                     const char *pattern, const char *concrete)
{
    const char *name = k->value;
    const char *kids[MAX_CHILDREN];
    size_t n = children_of(pattern, kids, MAX_CHILDREN);
    bool wildcard = false;
    for (size_t i = 0; i < n; i++)
        wildcard = wildcard || (kids[i][0] == '*' && (kids[i][1] == '.' || !kids[i][1]));
    int rc = 0;
    char *cpath = join(concrete, name);
    char *kpattern = wildcard ? join(pattern, "*") : join(pattern, name);
    if (!cpath || !kpattern) {
        rc = nomem(w->err);
        goto done;
    }
    if (wildcard && !cfg_profile_name_ok(name)) {
        rc = lr_yaml_error(w->err, &w->cfg->doc, k,
                           "a profile name of 1-64 letters, digits, '-' or '_'",
                           "bad profile name '%s'", name);
        goto done;
    }
    const struct lr_config_key *key = lr_config_key_find(kpattern);
    if (key) {
        rc = check_leaf(w, k, v, cpath, key);
    } else if (is_section(kpattern)) {
        if (wildcard && strcmp(pattern, "profiles") == 0 &&
            lr_strvec_push(&w->cfg->profiles, name) < 0) {
            rc = nomem(w->err);
            goto done;
        }
        if (lr_yaml_is_null(v)) {
            /* An empty section: every key takes its default, unless one is required. */
            rc = check_required(w, k, kpattern, cpath);
            goto done;
        }
        if (v->kind != LR_YAML_MAP) {
            rc = lr_yaml_error(w->err, &w->cfg->doc, v,
                               "a mapping of 'key: value' lines indented under it",
                               "%s: %s where a section belongs", cpath, kind_name(v));
            goto done;
        }
        rc = walk_section(w, v, kpattern, cpath);
    } else {
        rc = unknown_key(w, k, pattern, concrete);
    }
done:
    free(cpath);
    free(kpattern);
    return rc;
}

static int walk_section(struct walker *w, const struct lr_yaml_node *map, const char *pattern,
                        const char *concrete)
{
    if (++w->visits > MAX_VISITS)
        return lr_error_set(w->err, LR_ELIMIT, "%s: too many values (aliases?)",
                            w->cfg->doc.name);
    for (size_t i = 0; i < map->count; i++) {
        const struct lr_yaml_node *k = map->items[2 * i];
        if (!*pattern && strcmp(k->value, "profiles") == 0)
            w->cfg->profiles_key = k;
        int rc = walk_pair(w, k, map->items[2 * i + 1], pattern, concrete);
        if (rc < 0)
            return rc;
    }
    return check_required(w, map, pattern, concrete);
}

void lr_config_free(struct lr_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->count; i++)
        free(cfg->entries[i].path);
    free(cfg->entries);
    lr_yaml_doc_free(&cfg->doc);
    lr_strvec_free(&cfg->present);
    lr_strvec_free(&cfg->profiles);
    lr_strvec_free(&cfg->warnings);
    free(cfg->secret_path);
    free(cfg->name);
    free(cfg);
}

int lr_config_load_defaults(struct lr_config **out, struct lr_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : nomem(err);
}

int lr_config_load_text(struct lr_config **out, const char *name, const char *text, size_t len,
                        struct lr_error *err)
{
    *out = NULL;
    struct lr_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return nomem(err);
    cfg->name = lr_strdup(name);
    int rc = cfg->name ? lr_yaml_parse(&cfg->doc, name, text, len, err) : nomem(err);
    if (rc < 0)
        goto fail;
    const struct lr_yaml_node *root = cfg->doc.root;
    if (root && !lr_yaml_is_null(root)) {
        if (root->kind != LR_YAML_MAP) {
            rc = lr_yaml_error(err, &cfg->doc, root,
                               "a mapping of top-level keys (default_profile, profiles, ui, log)",
                               "the configuration is %s", kind_name(root));
            goto fail;
        }
        struct walker w = {cfg, err, 0};
        rc = walk_section(&w, root, "", "");
        if (rc < 0)
            goto fail;
    }
    lr_strvec_sort(&cfg->present);
    *out = cfg;
    return 0;
fail:
    lr_config_free(cfg);
    return rc;
}

int lr_config_load_file(struct lr_config **out, const char *path, struct lr_error *err)
{
    *out = NULL;
    char *text = NULL;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return lr_error_errno(err, errno, "cannot read configuration file %s", path);
    struct stat st;
    if (fstat(fd, &st) < 0) {
        rc = lr_error_errno(err, errno, "cannot read configuration file %s", path);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = lr_error_set(err, LR_EINVAL, "configuration file %s is not a regular file", path);
        goto done;
    }
    if (st.st_size > LR_CONFIG_MAX_BYTES) {
        rc = lr_error_set(err, LR_ELIMIT, "configuration file %s is larger than %d bytes", path,
                          LR_CONFIG_MAX_BYTES);
        goto done;
    }
    size_t cap = (size_t)st.st_size + 1;
    text = malloc(cap);
    if (!text) {
        rc = nomem(err);
        goto done;
    }
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, text + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = lr_error_errno(err, errno, "cannot read configuration file %s", path);
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap) {
            rc = lr_error_set(err, LR_ELIMIT, "configuration file %s grew while being read",
                              path);
            goto done;
        }
    }
    rc = lr_config_load_text(out, path, text, len, err);
    if (rc == 0 && (*out)->secret_path && (st.st_mode & 077)) {
        char *w = lr_asprintf("configuration file %s holds a secret (%s) but other users may "
                              "read it (mode %04o): run chmod 600 %s, or move the secret to "
                              "the environment (see `lakerewind config check`)",
                              path, (*out)->secret_path, (unsigned)(st.st_mode & 07777), path);
        if (!w || lr_strvec_push_owned(&(*out)->warnings, w) < 0) {
            lr_config_free(*out);
            *out = NULL;
            rc = nomem(err);
        }
    }
done:
    free(text);
    close(fd);
    return rc;
}

const struct lr_strvec *lr_config_present_keys(const struct lr_config *cfg)
{
    return &cfg->present;
}
