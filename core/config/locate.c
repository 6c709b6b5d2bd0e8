/* locate.c - which configuration file to read (--config, XDG, /etc) and the one-call loader.
 * Owns: the search order. Does not own: reading or resolving (load.c, resolve.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"

int lr_config_search_paths(struct lr_strvec *out)
{
    /* XDG Base Directory: $XDG_CONFIG_HOME if set to an absolute path, else $HOME/.config. */
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *user = NULL;
    if (xdg && xdg[0] == '/')
        user = lr_path_join(xdg, "lakerewind/config.yaml");
    else if (home && *home)
        user = lr_asprintf("%s/.config/lakerewind/config.yaml", home);
    else
        user = lr_strdup(""); /* no home: only the system file */
    if (!user)
        return LR_ENOMEM;
    if (!*user)
        free(user);
    else if (lr_strvec_push_owned(out, user) < 0)
        return LR_ENOMEM;
    return lr_strvec_push(out, LR_CONFIG_SYSTEM_PATH);
}

int lr_config_find(char **out, const char *explicit_path, struct lr_error *err)
{
    *out = NULL;
    struct stat st;
    if (explicit_path) {
        if (stat(explicit_path, &st) < 0)
            return lr_error_errno(err, errno, "configuration file %s (from --config)",
                                  explicit_path);
        *out = lr_strdup(explicit_path);
        return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    struct lr_strvec paths = {0};
    if (lr_config_search_paths(&paths) < 0) {
        lr_strvec_free(&paths);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < paths.count; i++) {
        if (stat(paths.items[i], &st) == 0) {
            *out = paths.items[i];
            paths.items[i] = NULL; /* taken; free(NULL) below is harmless */
            break;
        }
        if (errno != ENOENT && errno != ENOTDIR) {
            /* Exists but cannot be reached: say so rather than silently skipping it. */
            rc = lr_error_errno(err, errno, "configuration file %s", paths.items[i]);
            break;
        }
    }
    lr_strvec_free(&paths);
    return rc;
}

int lr_settings_load(struct lr_settings *out, const char *explicit_path, const char *profile,
                     struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = NULL;
    struct lr_config *cfg = NULL;
    int rc = lr_config_find(&path, explicit_path, err);
    if (rc == 0)
        rc = path ? lr_config_load_file(&cfg, path, err) : lr_config_load_defaults(&cfg, err);
    if (rc == 0)
        rc = lr_config_resolve(cfg, profile, out, err);
    lr_config_free(cfg);
    free(path);
    return rc;
}
