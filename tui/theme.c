/* theme.c - theme name -> file -> struct tui_theme, falling back to the built-in default and
 * reporting why. Parsing itself is theme_parse.c; colour pairs are term.c. */
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lakerewind/str.h"

static bool is_path(const char *name)
{
    return strchr(name, '/') || lr_str_ends_with(name, ".yaml") || lr_str_ends_with(name, ".yml");
}

static bool is_safe_name(const char *name)
{
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

int tui_theme_select(struct tui_theme *out, const char *name, char *problem, size_t cap)
{
    struct lr_error err;
    lr_error_clear(&err);
    if (problem && cap)
        problem[0] = '\0';
    tui_theme_builtin(out);
    if (!name || !name[0])
        return 0;
    if (is_path(name)) {
        if (tui_theme_load_file(out, name, &err) == 0)
            return 0;
    } else if (!is_safe_name(name)) {
        lr_error_set(&err, LR_EINVAL, "theme name '%.60s' may only hold letters, digits, - and _",
                     name);
    } else {
        const char *dirs[3] = {getenv("LAKEREWIND_THEME_DIR"), NULL, NULL};
#ifdef LR_THEME_DIR_BUILD
        dirs[1] = LR_THEME_DIR_BUILD;
#endif
#ifdef LR_THEME_DIR_INSTALL
        dirs[2] = LR_THEME_DIR_INSTALL;
#endif
        bool found = false;
        for (size_t i = 0; i < 3 && !found; i++) {
            if (!dirs[i] || !dirs[i][0])
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.yaml", dirs[i], name);
            if (access(path, R_OK) != 0)
                continue;
            found = true;
            if (tui_theme_load_file(out, path, &err) == 0)
                return 0;
        }
        if (!found)
            lr_error_set(&err, LR_ENOTFOUND,
                         "no theme named '%s' (themes: default, high-contrast, colorblind, "
                         "monochrome, or a path to a .yaml file)",
                         name);
    }
    tui_theme_builtin(out);
    if (problem && cap)
        snprintf(problem, cap, "theme: %s; using the default theme", err.message);
    return err.code < 0 ? err.code : LR_EINVAL;
}
