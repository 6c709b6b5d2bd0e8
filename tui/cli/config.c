/* config.c - `lakerewind config check|paths|keys [--json]`: validate the configuration, show
 * which file is used, list every key. Secrets are shown as ***; warnings go to stderr. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "lakerewind/config.h"

static int print_json(json_t *doc)
{
    if (!doc) {
        fprintf(stderr, "lakerewind: config: out of memory\n");
        return TUI_EXIT_ERROR;
    }
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text) {
        fprintf(stderr, "lakerewind: config: out of memory\n");
        return TUI_EXIT_ERROR;
    }
    printf("%s\n", text);
    free(text);
    return TUI_EXIT_OK;
}

static json_t *strings_json(const struct lr_strvec *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < v->count; i++)
        json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static int fail(bool as_json, const struct lr_error *err)
{
    if (as_json) {
        json_t *doc = json_pack("{s:b, s:{s:s, s:s}}", "ok", 0, "error", "code",
                                lr_code_name(err->code), "message", err->message);
        print_json(doc);
    }
    fprintf(stderr, "lakerewind: config: %s\n", err->message);
    return TUI_EXIT_ERROR;
}

static int check(const struct tui_global *g, bool as_json)
{
    struct lr_settings s;
    struct lr_error err;
    if (lr_settings_load(&s, g->config_path, g->profile, &err) < 0) {
        lr_settings_free(&s);
        return fail(as_json, &err);
    }
    for (size_t i = 0; i < s.warnings.count; i++)
        fprintf(stderr, "lakerewind: warning: %s\n", s.warnings.items[i]);
    int rc = TUI_EXIT_OK;
    if (as_json) {
        json_t *settings = json_array();
        for (size_t i = 0; settings && i < s.origin_count; i++) {
            const struct lr_setting_origin *o = &s.origins[i];
            json_array_append_new(settings,
                                  json_pack("{s:s, s:o, s:s}", "path", o->path, "value",
                                            o->value ? json_string(o->value) : json_null(),
                                            "origin", o->origin));
        }
        json_t *doc = json_pack("{s:b, s:o, s:s, s:b, s:o, s:o, s:o}", "ok", 1, "source",
                                s.source ? json_string(s.source) : json_null(), "profile",
                                s.profile_name, "has_profile", s.has_profile, "profiles",
                                strings_json(&s.profile_names), "settings", settings,
                                "warnings", strings_json(&s.warnings));
        rc = print_json(doc);
    } else {
        printf("configuration: %s\n", s.source ? s.source : "built-in defaults (no file found)");
        printf("profile: %s%s\n", s.profile_name, s.has_profile ? "" : " (none selected)");
        if (s.profile_names.count) {
            printf("profiles:");
            for (size_t i = 0; i < s.profile_names.count; i++)
                printf(" %s", s.profile_names.items[i]);
            printf("\n");
        }
        printf("\n");
        for (size_t i = 0; i < s.origin_count; i++) {
            const struct lr_setting_origin *o = &s.origins[i];
            printf("  %-46s = %-28s  %s\n", o->path, o->value ? o->value : "(unset)",
                   o->origin);
        }
        printf("\n%s: OK%s\n", s.source ? s.source : "built-in defaults",
               s.warnings.count ? " (with warnings)" : "");
    }
    lr_settings_free(&s);
    return rc;
}

static int paths(const struct tui_global *g, bool as_json)
{
    struct lr_strvec candidates = {0};
    struct lr_error err;
    char *used = NULL;
    if (lr_config_search_paths(&candidates) < 0) {
        lr_strvec_free(&candidates);
        fprintf(stderr, "lakerewind: config: out of memory\n");
        return TUI_EXIT_ERROR;
    }
    int rc = lr_config_find(&used, g->config_path, &err);
    if (rc < 0) {
        lr_strvec_free(&candidates);
        return fail(as_json, &err);
    }
    if (as_json) {
        json_t *list = json_array();
        if (g->config_path)
            json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "from", "--config", "path",
                                                  g->config_path, "exists", 1));
        for (size_t i = 0; i < candidates.count; i++)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:b}", "from",
                                strcmp(candidates.items[i], LR_CONFIG_SYSTEM_PATH) == 0
                                    ? "system" : "user",
                                "path", candidates.items[i], "exists",
                                access(candidates.items[i], F_OK) == 0));
        rc = print_json(json_pack("{s:o, s:o}", "search", list, "used",
                                  used ? json_string(used) : json_null()));
    } else {
        printf("search order (the first file that exists is used):\n");
        printf("  --config FILE   %s\n", g->config_path ? g->config_path : "(not given)");
        for (size_t i = 0; i < candidates.count; i++)
            printf("  %-15s %s (%s)\n",
                   strcmp(candidates.items[i], LR_CONFIG_SYSTEM_PATH) == 0 ? "system" : "user",
                   candidates.items[i],
                   access(candidates.items[i], F_OK) == 0 ? "exists" : "missing");
        printf("using: %s\n", used ? used : "built-in defaults");
    }
    free(used);
    lr_strvec_free(&candidates);
    return rc;
}

static int keys(bool as_json)
{
    size_t n;
    const struct lr_config_key *k = lr_config_keys(&n);
    json_t *list = as_json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        const char *form = lr_config_key_form(&k[i], buf, sizeof buf);
        if (as_json) {
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:o, s:b, s:b, s:s}", "path", k[i].path, "form",
                                form, "default", k[i].def ? json_string(k[i].def) : json_null(),
                                "required", k[i].required, "secret", k[i].secret, "doc",
                                k[i].doc));
            continue;
        }
        printf("%s%s%s\n    %s\n    %s", k[i].path, k[i].required ? " (required)" : "",
               k[i].secret ? " (secret)" : "", k[i].doc, form);
        if (k[i].def)
            printf("; default %s", k[i].def);
        printf("\n");
    }
    return as_json ? print_json(list) : TUI_EXIT_OK;
}

int tui_cmd_config(int argc, char **argv, const struct tui_global *g)
{
    const char *sub = NULL;
    bool as_json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            as_json = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: lakerewind [--config FILE] [--profile NAME] config check|paths|keys "
                   "[--json]\n"
                   "  check   load the configuration, print the resolved profile (secrets as\n"
                   "          ***) with where each value came from, and any warnings\n"
                   "  paths   the files searched, in order, and the one used\n"
                   "  keys    every configuration key with its form, default and meaning\n");
            return TUI_EXIT_OK;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "lakerewind: config: unknown option %s (see lakerewind help config)\n",
                    argv[i]);
            return TUI_EXIT_USAGE;
        } else if (!sub) {
            sub = argv[i];
        } else {
            fprintf(stderr, "lakerewind: config: unexpected argument %s\n", argv[i]);
            return TUI_EXIT_USAGE;
        }
    }
    if (sub && strcmp(sub, "check") == 0)
        return check(g, as_json);
    if (sub && strcmp(sub, "paths") == 0)
        return paths(g, as_json);
    if (sub && strcmp(sub, "keys") == 0)
        return keys(as_json);
    fprintf(stderr, "lakerewind: config: %s (expected check, paths or keys; see lakerewind "
                    "help config)\n",
            sub ? "unknown subcommand" : "missing subcommand");
    return TUI_EXIT_USAGE;
}
