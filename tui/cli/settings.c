/* settings.c - the one place the front end loads the configuration (for main and every
 * subcommand) and opens the configured lakehouse. Prints warnings; core never prints. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "lakerewind/store.h"

int tui_load_profile(const struct tui_global *g, struct lr_settings *out, struct lr_error *err)
{
    int rc = lr_settings_load(out, g->config_path, g->profile, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < out->warnings.count; i++)
        fprintf(stderr, "lakerewind: warning: %s\n", out->warnings.items[i]);
    return 0;
}

const char *tui_lakehouse_uri(const struct tui_global *g)
{
    if (g->lakehouse)
        return g->lakehouse;
    if (g->settings && g->settings->profile.lakehouse)
        return g->settings->profile.lakehouse;
    return NULL;
}

int tui_open_lakehouse(const struct tui_global *g, struct lr_store **out, struct lr_error *err)
{
    *out = NULL;
    const char *uri = tui_lakehouse_uri(g);
    if (!uri) {
        char names[512] = "";
        const struct lr_strvec *p = g->settings ? &g->settings->profile_names : NULL;
        for (size_t i = 0; p && i < p->count; i++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", p->items[i]);
        }
        if (names[0])
            return lr_error_set(err, LR_EINVAL,
                                "no lakehouse chosen: pass --profile NAME (profiles: %s), set "
                                "default_profile in %s, or pass --lakehouse URI",
                                names, g->settings->source ? g->settings->source : "the config");
        return lr_error_set(err, LR_EINVAL,
                            "no lakehouse configured: pass --lakehouse URI, or add a profile "
                            "to the configuration file (see `lakerewind config paths`)");
    }
    /* The profile's storage options apply to --lakehouse too: `--profile prod --lakehouse
     * URI` reaches another path of the same account with prod's credentials. */
    return tui_open_store(g, uri, out, err);
}

int tui_open_store(const struct tui_global *g, const char *uri, struct lr_store **out,
                   struct lr_error *err)
{
    struct lr_store_options opts = {NULL, 0, true};
    if (g && g->settings)
        lr_profile_store_options(&g->settings->profile, &opts);
    return lr_store_open(out, uri, &opts, err);
}
