/* resolve.c - from a validated file to struct lr_settings: profile selection, defaults,
 * environment overrides for secrets, where each value came from, and freeing.
 * Owns: the precedence rule (environment > file > default) and the LAKEREWIND_<PROFILE>_*
 * names. Does not own: reading or validating the file (load.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "lakerewind/buf.h"
#include "lakerewind/log.h"

extern char **environ;

#define PROFILE_PREFIX "profiles.*."

struct resolver {
    const struct lr_config *cfg;
    struct lr_settings *out;
    struct lr_error *err;
    char env_prefix[96]; /* "LAKEREWIND_PROD_" */
};

static int nomem(struct lr_error *err)
{
    return lr_error_set(err, LR_ENOMEM, "out of memory resolving the configuration");
}

static void *field_of(struct lr_settings *s, const struct lr_config_key *k)
{
    char *base = k->scope == LR_CFG_SCOPE_PROFILE ? (char *)&s->profile : (char *)s;
    return base + k->offset;
}

static const struct cfg_entry *entry_for(const struct lr_config *cfg, const char *path)
{
    for (size_t i = 0; i < cfg->count; i++)
        if (strcmp(cfg->entries[i].path, path) == 0)
            return &cfg->entries[i];
    return NULL;
}

/* "webhook.url" -> "LAKEREWIND_PROD_WEBHOOK_URL" */
static void env_name(const struct resolver *r, const char *suffix, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s", r->env_prefix, suffix);
    for (char *p = buf + strlen(r->env_prefix); *p; p++)
        *p = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
}

static int add_origin(struct lr_settings *s, const char *path, const char *value,
                      const char *origin)
{
    struct lr_setting_origin *p =
        realloc(s->origins, (s->origin_count + 1) * sizeof *p);
    if (!p)
        return LR_ENOMEM;
    s->origins = p;
    struct lr_setting_origin *o = &p[s->origin_count];
    o->path = lr_strdup(path);
    o->value = value ? lr_strdup(value) : NULL;
    o->origin = lr_strdup(origin);
    if (!o->path || (value && !o->value) || !o->origin) {
        free(o->path);
        free(o->value);
        free(o->origin);
        return LR_ENOMEM;
    }
    s->origin_count++;
    return 0;
}

static void store_scalar(const struct lr_config_key *k, void *field, struct cfg_scalar *sc)
{
    switch (k->type) {
    case LR_CFG_STRING:
    case LR_CFG_URI:
        free(*(char **)field);
        *(char **)field = sc->s;
        sc->s = NULL;
        break;
    case LR_CFG_INT:
    case LR_CFG_DURATION:
    case LR_CFG_SIZE:
        *(int64_t *)field = sc->i;
        break;
    case LR_CFG_NUMBER:
        *(double *)field = sc->d;
        break;
    case LR_CFG_BOOL:
        *(bool *)field = sc->b;
        break;
    case LR_CFG_ENUM:
        *(int *)field = sc->choice;
        break;
    default:
        break;
    }
}

static int map_set(struct lr_config_map *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->count; i++) {
        if (strcmp(m->items[i].key, key) == 0) {
            char *v = lr_strdup(value);
            if (!v)
                return LR_ENOMEM;
            free((char *)m->items[i].value);
            m->items[i].value = v;
            return 0;
        }
    }
    struct lr_kv *p = realloc(m->items, (m->count + 1) * sizeof *p);
    if (!p)
        return LR_ENOMEM;
    m->items = p;
    char *k = lr_strdup(key);
    char *v = lr_strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return LR_ENOMEM;
    }
    p[m->count].key = k;
    p[m->count].value = v;
    m->count++;
    return 0;
}

static int names_from(struct lr_strvec *v, const struct lr_yaml_node *n)
{
    if (n->kind == LR_YAML_SCALAR)
        return lr_strvec_push(v, n->value);
    for (size_t i = 0; i < n->count; i++)
        if (lr_strvec_push(v, n->items[i]->value) < 0)
            return LR_ENOMEM;
    return 0;
}

static int store_container(const struct lr_config_key *k, void *field,
                           const struct lr_yaml_node *n)
{
    if (k->type == LR_CFG_LIST)
        return names_from(field, n);
    if (k->type == LR_CFG_MAP) {
        for (size_t i = 0; i < n->count; i++)
            if (map_set(field, n->items[2 * i]->value, n->items[2 * i + 1]->value) < 0)
                return LR_ENOMEM;
        return 0;
    }
    struct lr_config_multimap *mm = field;
    for (size_t i = 0; i < n->count; i++) {
        struct lr_config_names *p = realloc(mm->items, (mm->count + 1) * sizeof *p);
        if (!p)
            return LR_ENOMEM;
        mm->items = p;
        memset(&p[mm->count], 0, sizeof p[mm->count]);
        p[mm->count].key = lr_strdup(n->items[2 * i]->value);
        if (!p[mm->count].key)
            return LR_ENOMEM;
        mm->count++;
        if (names_from(&p[mm->count - 1].names, n->items[2 * i + 1]) < 0)
            return LR_ENOMEM;
    }
    return 0;
}

static int append_names(struct lr_buf *b, const struct lr_strvec *v)
{
    int rc = lr_buf_append_str(b, "[", NULL);
    for (size_t i = 0; i < v->count && rc == 0; i++)
        rc = lr_buf_printf(b, NULL, "%s%s", i ? ", " : "", v->items[i]);
    return rc < 0 ? rc : lr_buf_append_str(b, "]", NULL);
}

/* Display text of a resolved value (secrets masked); caller frees; NULL when unset. */
static char *display(const struct lr_config_key *k, const void *field, bool is_storage)
{
    char buf[128];
    struct lr_buf b = LR_BUF_INIT;
    int rc = 0;
    switch (k->type) {
    case LR_CFG_STRING:
    case LR_CFG_URI:
        if (!*(char *const *)field)
            return NULL;
        return lr_strdup(k->secret ? "***" : *(char *const *)field);
    case LR_CFG_INT:
        return lr_asprintf("%lld", (long long)*(const int64_t *)field);
    case LR_CFG_NUMBER:
        return lr_asprintf("%g", *(const double *)field);
    case LR_CFG_BOOL:
        return lr_strdup(*(const bool *)field ? "true" : "false");
    case LR_CFG_DURATION:
        cfg_format_duration(*(const int64_t *)field, buf, sizeof buf);
        return lr_strdup(buf);
    case LR_CFG_SIZE:
        cfg_format_size(*(const int64_t *)field, buf, sizeof buf);
        return lr_strdup(buf);
    case LR_CFG_ENUM:
        cfg_choice_name(k->choices, *(const int *)field, buf, sizeof buf);
        return lr_strdup(buf);
    case LR_CFG_LIST:
        rc = append_names(&b, field);
        break;
    case LR_CFG_MAP: {
        const struct lr_config_map *m = field;
        rc = lr_buf_append_str(&b, "{", NULL);
        for (size_t i = 0; i < m->count && rc == 0; i++) {
            bool hide = is_storage && lr_config_storage_option_is_secret(m->items[i].key);
            rc = lr_buf_printf(&b, NULL, "%s%s: %s", i ? ", " : "", m->items[i].key,
                               hide ? "***" : m->items[i].value);
        }
        if (rc == 0)
            rc = lr_buf_append_str(&b, "}", NULL);
        break;
    }
    case LR_CFG_MAP_LIST: {
        const struct lr_config_multimap *mm = field;
        rc = lr_buf_append_str(&b, "{", NULL);
        for (size_t i = 0; i < mm->count && rc == 0; i++) {
            rc = lr_buf_printf(&b, NULL, "%s%s: ", i ? ", " : "", mm->items[i].key);
            if (rc == 0)
                rc = append_names(&b, &mm->items[i].names);
        }
        if (rc == 0)
            rc = lr_buf_append_str(&b, "}", NULL);
        break;
    }
    }
    if (rc < 0) {
        lr_buf_free(&b);
        return NULL;
    }
    return (char *)lr_buf_take(&b, NULL);
}

static int env_error(struct resolver *r, const struct lr_config_key *k, const char *var)
{
    char buf[256];
    return lr_error_set(r->err, LR_EINVAL,
                        "environment variable %s does not hold a valid value for %s: "
                        "expected %s",
                        var, k->path, lr_config_key_form(k, buf, sizeof buf));
}

static void register_secrets(const struct lr_settings *s)
{
    lr_redact_register(s->profile.webhook_url);
    for (size_t i = 0; i < s->profile.storage.count; i++)
        if (lr_config_storage_option_is_secret(s->profile.storage.items[i].key))
            lr_redact_register(s->profile.storage.items[i].value);
}

/* LAKEREWIND_<PROFILE>_STORAGE_<OPTION> on top of the file's storage options. */
static int storage_from_env(struct resolver *r, const char *path)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%sSTORAGE_", r->env_prefix);
    size_t pl = strlen(prefix);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || strncmp(*e, prefix, pl) != 0 || eq - *e <= (ptrdiff_t)pl)
            continue;
        char name[128];
        char var[160];
        snprintf(name, sizeof name, "%.*s", (int)(eq - *e - (ptrdiff_t)pl), *e + pl);
        snprintf(var, sizeof var, "%.*s", (int)(eq - *e), *e);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (map_set(&r->out->profile.storage, name, eq + 1) < 0)
            return nomem(r->err);
        char *opath = lr_asprintf("%s.%s", path, name);
        char *origin = lr_asprintf("env %s", var);
        bool hide = lr_config_storage_option_is_secret(name);
        int rc = opath && origin ? add_origin(r->out, opath, hide ? "***" : eq + 1, origin)
                                 : LR_ENOMEM;
        free(opath);
        free(origin);
        if (rc < 0)
            return nomem(r->err);
    }
    return 0;
}

/* Variables with the profile's prefix that set nothing are probably typos: warn. */
static int warn_unused_env(struct resolver *r)
{
    size_t pl = strlen(r->env_prefix);
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    char names[16][128];
    const char *cands[16];
    size_t n = 0;
    for (size_t i = 0; i < nkeys && n < 16; i++) {
        if (keys[i].scope != LR_CFG_SCOPE_PROFILE || !keys[i].secret)
            continue;
        env_name(r, keys[i].path + strlen(PROFILE_PREFIX), names[n], sizeof names[n]);
        cands[n] = names[n];
        n++;
    }
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || strncmp(*e, r->env_prefix, pl) != 0)
            continue;
        char var[160];
        snprintf(var, sizeof var, "%.*s", (int)(eq - *e), *e);
        if (lr_str_starts_with(var + pl, "STORAGE_") && strlen(var + pl) > 8)
            continue;
        bool used = false;
        for (size_t i = 0; i < n && !used; i++)
            used = strcmp(var, cands[i]) == 0;
        if (used)
            continue;
        const char *near = cfg_nearest(var, cands, n);
        char *w = lr_asprintf("environment variable %s sets nothing for profile %s: expected "
                              "%sSTORAGE_<OPTION>%s%s%s",
                              var, r->out->profile_name, r->env_prefix,
                              near ? " or " : "", near ? near : "", near ? " (closest)" : "");
        if (!w || lr_strvec_push_owned(&r->out->warnings, w) < 0)
            return nomem(r->err);
    }
    return 0;
}

static int resolve_key(struct resolver *r, const struct lr_config_key *k)
{
    struct lr_settings *s = r->out;
    void *field = field_of(s, k);
    bool in_profile = k->scope == LR_CFG_SCOPE_PROFILE;
    const char *suffix = in_profile ? k->path + strlen(PROFILE_PREFIX) : k->path;
    char *path = in_profile ? lr_asprintf("profiles.%s.%s", s->profile_name, suffix)
                            : lr_strdup(k->path);
    if (!path)
        return nomem(r->err);
    int rc = 0;
    char origin[256] = "default";
    const struct cfg_entry *e = NULL;
    if (!in_profile || s->has_profile)
        e = entry_for(r->cfg, path);
    char var[160] = "";
    const char *env_value = NULL;
    if (in_profile && k->secret) {
        env_name(r, suffix, var, sizeof var);
        env_value = getenv(var);
        if (env_value && !*env_value)
            env_value = NULL;
    }
    struct cfg_scalar sc = {0};
    if (env_value) {
        rc = cfg_parse_scalar(k, env_value, &sc);
        if (rc == LR_EINVAL)
            rc = env_error(r, k, var);
        snprintf(origin, sizeof origin, "env %s", var);
    } else if (e && cfg_type_is_container(k->type)) {
        rc = store_container(k, field, e->node);
        snprintf(origin, sizeof origin, "%s:%zu:%zu", r->cfg->name, e->node->line,
                 e->node->column);
    } else if (e) {
        rc = cfg_parse_scalar(k, e->node->value, &sc); /* validated by the loader */
        snprintf(origin, sizeof origin, "%s:%zu:%zu", r->cfg->name, e->node->line,
                 e->node->column);
    } else if (k->def) {
        rc = cfg_parse_scalar(k, k->def, &sc);
    }
    if (rc == LR_ENOMEM)
        rc = nomem(r->err);
    if (rc == 0 && !cfg_type_is_container(k->type) && (env_value || e || k->def))
        store_scalar(k, field, &sc);
    free(sc.s);
    bool is_storage = strcmp(k->path, "profiles.*.storage") == 0;
    /* The map as finally used (environment merged in) first, then one origin per variable. */
    size_t env_from = s->origin_count;
    if (rc == 0 && is_storage)
        rc = storage_from_env(r, path);
    if (rc == 0) {
        char *shown = display(k, field, is_storage);
        if (add_origin(s, path, shown, origin) < 0)
            rc = nomem(r->err);
        free(shown);
    }
    if (rc == 0 && s->origin_count - env_from > 1) {
        /* Rotate the map's own entry in front of the per-variable entries. */
        struct lr_setting_origin last = s->origins[s->origin_count - 1];
        memmove(&s->origins[env_from + 1], &s->origins[env_from],
                (s->origin_count - 1 - env_from) * sizeof last);
        s->origins[env_from] = last;
    }
    free(path);
    return rc;
}

static bool has_profile_named(const struct lr_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->profiles.count; i++)
        if (strcmp(cfg->profiles.items[i], name) == 0)
            return true;
    return false;
}

static int unknown_profile(struct resolver *r, const char *name, const struct lr_yaml_node *at,
                           const char *asked_by)
{
    const struct lr_config *cfg = r->cfg;
    char list[600] = "";
    for (size_t i = 0; i < cfg->profiles.count; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                 cfg->profiles.items[i]);
    }
    if (!cfg->name)
        return lr_error_set(r->err, LR_EINVAL,
                            "profile '%s' (%s) needs a configuration file, and none was found "
                            "(see `lakerewind config paths`)",
                            name, asked_by);
    const char *near = cfg_nearest(name, (const char *const *)cfg->profiles.items,
                                   cfg->profiles.count);
    char expected[700];
    if (cfg->profiles.count)
        snprintf(expected, sizeof expected, "a profile defined under 'profiles': %s", list);
    else
        snprintf(expected, sizeof expected,
                 "a 'profiles:' section defining it (the file has no profiles)");
    char hint[160] = "";
    if (near)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
    return lr_yaml_error(r->err, &cfg->doc, at, expected, "no profile '%s' (%s)%s", name,
                         asked_by, hint);
}

static int select_profile(struct resolver *r, const char *asked)
{
    const struct lr_config *cfg = r->cfg;
    struct lr_settings *s = r->out;
    const struct cfg_entry *dp = entry_for(cfg, "default_profile");
    const char *name = NULL;
    if (asked) {
        if (!has_profile_named(cfg, asked))
            return unknown_profile(r, asked, cfg->profiles_key, "from --profile");
        name = asked;
    } else if (dp) {
        if (!has_profile_named(cfg, dp->node->value))
            return unknown_profile(r, dp->node->value, dp->node, "named by default_profile");
        name = dp->node->value;
    } else if (cfg->profiles.count == 1) {
        name = cfg->profiles.items[0];
    } else if (cfg->profiles.count > 1) {
        char *w = lr_asprintf("%s defines %zu profiles and neither --profile nor "
                              "default_profile chooses one: no profile is used",
                              cfg->name, cfg->profiles.count);
        if (!w || lr_strvec_push_owned(&s->warnings, w) < 0)
            return nomem(r->err);
    }
    s->has_profile = name != NULL;
    s->profile_name = lr_strdup(name ? name : "default");
    if (!s->profile_name)
        return nomem(r->err);
    int n = snprintf(r->env_prefix, sizeof r->env_prefix, "LAKEREWIND_%s_", s->profile_name);
    (void)n;
    for (char *p = r->env_prefix + 11; *p && p[1]; p++)
        *p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
    return 0;
}

static int expand_home(char **path)
{
    if (!*path || strncmp(*path, "~/", 2) != 0)
        return 0;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return 0;
    char *full = lr_path_join(home, *path + 2);
    if (!full)
        return LR_ENOMEM;
    free(*path);
    *path = full;
    return 0;
}

int lr_config_resolve(const struct lr_config *cfg, const char *profile, struct lr_settings *out,
                      struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct resolver r = {cfg, out, err, ""};
    int rc = 0;
    if (cfg->name) {
        out->source = lr_strdup(cfg->name);
        if (!out->source)
            return nomem(err);
    }
    for (size_t i = 0; i < cfg->profiles.count; i++)
        if (lr_strvec_push(&out->profile_names, cfg->profiles.items[i]) < 0)
            return nomem(err);
    for (size_t i = 0; i < cfg->warnings.count; i++)
        if (lr_strvec_push(&out->warnings, cfg->warnings.items[i]) < 0)
            return nomem(err);
    rc = select_profile(&r, profile);
    if (rc < 0)
        return rc;
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    for (size_t i = 0; i < nkeys && rc == 0; i++)
        rc = resolve_key(&r, &keys[i]);
    /* The backends read the promise from the store options (see store.h): pass it on. */
    if (rc == 0 && out->profile.single_writer &&
        !lr_config_map_get(&out->profile.storage, "single_writer") &&
        map_set(&out->profile.storage, "single_writer", "true") < 0)
        rc = nomem(err);
    if (rc == 0)
        rc = warn_unused_env(&r);
    if (rc == 0 && expand_home(&out->log.file) < 0)
        rc = nomem(err);
    if (rc == 0)
        register_secrets(out);
    return rc;
}

void lr_profile_store_options(const struct lr_profile *p, struct lr_store_options *out)
{
    out->kv = p->storage.items;
    out->kv_count = p->storage.count;
    out->use_env = p->use_env_credentials;
}

const char *lr_config_map_get(const struct lr_config_map *m, const char *key)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->items[i].key, key) == 0)
            return m->items[i].value;
    return NULL;
}

const struct lr_strvec *lr_config_multimap_get(const struct lr_config_multimap *m,
                                               const char *key)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->items[i].key, key) == 0)
            return &m->items[i].names;
    return NULL;
}

static void free_field(const struct lr_config_key *k, void *field)
{
    switch (k->type) {
    case LR_CFG_STRING:
    case LR_CFG_URI:
        free(*(char **)field);
        break;
    case LR_CFG_LIST:
        lr_strvec_free(field);
        break;
    case LR_CFG_MAP: {
        struct lr_config_map *m = field;
        for (size_t i = 0; i < m->count; i++) {
            free((char *)m->items[i].key);
            free((char *)m->items[i].value);
        }
        free(m->items);
        break;
    }
    case LR_CFG_MAP_LIST: {
        struct lr_config_multimap *mm = field;
        for (size_t i = 0; i < mm->count; i++) {
            free(mm->items[i].key);
            lr_strvec_free(&mm->items[i].names);
        }
        free(mm->items);
        break;
    }
    default:
        break;
    }
}

void lr_settings_free(struct lr_settings *s)
{
    if (!s)
        return;
    size_t nkeys;
    const struct lr_config_key *keys = lr_config_keys(&nkeys);
    for (size_t i = 0; i < nkeys; i++)
        free_field(&keys[i], field_of(s, &keys[i]));
    for (size_t i = 0; i < s->origin_count; i++) {
        free(s->origins[i].path);
        free(s->origins[i].value);
        free(s->origins[i].origin);
    }
    free(s->origins);
    free(s->source);
    free(s->profile_name);
    lr_strvec_free(&s->profile_names);
    lr_strvec_free(&s->warnings);
    memset(s, 0, sizeof *s);
}
