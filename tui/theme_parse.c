/* theme_parse.c - theme YAML (libyaml, with line and column in every error) -> struct tui_theme,
 * the built-in default theme, and colour reduction for 16/8-colour terminals. No curses here. */
#include "theme_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lakerewind/str.h"

static const char *const role_keys[ROLE_COUNT] = {
    [ROLE_NORMAL] = "normal",
    [ROLE_HEADER] = "header",
    [ROLE_TITLE] = "title",
    [ROLE_COLUMN_HEADER] = "column_header",
    [ROLE_SELECTION] = "selection",
    [ROLE_DIM] = "dim",
    [ROLE_BORDER] = "border",
    [ROLE_FOOTER] = "footer",
    [ROLE_FOOTER_KEY] = "footer_key",
    [ROLE_OK] = "ok",
    [ROLE_WARN] = "warn",
    [ROLE_ERROR] = "error",
    [ROLE_RISK_HIGH] = "risk_high",
    [ROLE_RISK_MEDIUM] = "risk_medium",
    [ROLE_RISK_LOW] = "risk_low",
    [ROLE_BANNER_DRYRUN] = "banner_dryrun",
    [ROLE_BANNER_LIVE] = "banner_live",
    [ROLE_BANNER_READONLY] = "banner_readonly",
    [ROLE_PROMPT] = "prompt",
    [ROLE_DIALOG] = "dialog",
    [ROLE_PROGRESS_DONE] = "progress_done",
    [ROLE_PROGRESS_LEFT] = "progress_left",
    [ROLE_SPARKLINE] = "sparkline",
    [ROLE_MATCH] = "match",
};

static const char *const color_names[16] = {
    "black",        "red",        "green",         "yellow",
    "blue",         "magenta",    "cyan",          "white",
    "bright-black", "bright-red", "bright-green",  "bright-yellow",
    "bright-blue",  "bright-magenta", "bright-cyan", "bright-white",
};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"bold", TUI_ATTR_BOLD},           {"dim", TUI_ATTR_DIM},
    {"underline", TUI_ATTR_UNDERLINE}, {"reverse", TUI_ATTR_REVERSE},
    {"italic", TUI_ATTR_ITALIC},       {"standout", TUI_ATTR_STANDOUT},
};

const char *tui_role_key(enum tui_role role)
{
    if ((int)role < 0 || role >= ROLE_COUNT)
        return NULL;
    return role_keys[role];
}

#define S(f, b, a) ((struct tui_style){(f), (b), (a)})
#define D TUI_COLOR_DEFAULT

void tui_theme_builtin(struct tui_theme *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "default");
    struct tui_style *r = out->roles;
    r[ROLE_NORMAL] = S(D, D, 0);
    r[ROLE_HEADER] = S(15, 4, TUI_ATTR_BOLD);
    r[ROLE_TITLE] = S(6, D, TUI_ATTR_BOLD);
    r[ROLE_COLUMN_HEADER] = S(D, D, TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE);
    r[ROLE_SELECTION] = S(0, 6, 0);
    r[ROLE_DIM] = S(8, D, 0);
    r[ROLE_BORDER] = S(4, D, 0);
    r[ROLE_FOOTER] = S(0, 7, 0);
    r[ROLE_FOOTER_KEY] = S(4, 7, TUI_ATTR_BOLD);
    r[ROLE_OK] = S(2, D, 0);
    r[ROLE_WARN] = S(3, D, TUI_ATTR_BOLD);
    r[ROLE_ERROR] = S(9, D, TUI_ATTR_BOLD);
    r[ROLE_RISK_HIGH] = S(9, D, TUI_ATTR_BOLD);
    r[ROLE_RISK_MEDIUM] = S(3, D, TUI_ATTR_BOLD);
    r[ROLE_RISK_LOW] = S(2, D, 0);
    r[ROLE_BANNER_DRYRUN] = S(0, 3, TUI_ATTR_BOLD);
    r[ROLE_BANNER_LIVE] = S(15, 1, TUI_ATTR_BOLD);
    r[ROLE_BANNER_READONLY] = S(0, 6, TUI_ATTR_BOLD);
    r[ROLE_PROMPT] = S(D, D, TUI_ATTR_BOLD);
    r[ROLE_DIALOG] = S(D, D, 0);
    r[ROLE_PROGRESS_DONE] = S(2, D, 0);
    r[ROLE_PROGRESS_LEFT] = S(8, D, 0);
    r[ROLE_SPARKLINE] = S(6, D, 0);
    r[ROLE_MATCH] = S(3, D, TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE);
}

void tui_theme_monochrome(struct tui_theme *out)
{
    const unsigned B = TUI_ATTR_BOLD;
    const unsigned U = TUI_ATTR_UNDERLINE;
    const unsigned R = TUI_ATTR_REVERSE;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "monochrome");
    for (int i = 0; i < ROLE_COUNT; i++)
        out->roles[i] = S(D, D, 0);
    struct tui_style *r = out->roles;
    r[ROLE_HEADER].attrs = R | B;
    r[ROLE_TITLE].attrs = B;
    r[ROLE_COLUMN_HEADER].attrs = B | U;
    r[ROLE_SELECTION].attrs = R;
    r[ROLE_DIM].attrs = TUI_ATTR_DIM;
    r[ROLE_FOOTER].attrs = R;
    r[ROLE_FOOTER_KEY].attrs = R | B;
    r[ROLE_OK].attrs = B;
    r[ROLE_WARN].attrs = B;
    r[ROLE_ERROR].attrs = B | U;
    r[ROLE_RISK_HIGH].attrs = B | U;
    r[ROLE_RISK_MEDIUM].attrs = B;
    r[ROLE_BANNER_DRYRUN].attrs = R;
    r[ROLE_BANNER_LIVE].attrs = R | B | U;
    r[ROLE_BANNER_READONLY].attrs = R;
    r[ROLE_PROMPT].attrs = B;
    r[ROLE_PROGRESS_DONE].attrs = R;
    r[ROLE_PROGRESS_LEFT].attrs = TUI_ATTR_DIM;
    r[ROLE_SPARKLINE].attrs = B;
    r[ROLE_MATCH].attrs = U | B;
}

#undef S
#undef D

bool tui_theme_has_color(const struct tui_theme *t)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (t->roles[i].fg != TUI_COLOR_DEFAULT || t->roles[i].bg != TUI_COLOR_DEFAULT)
            return true;
    return false;
}

/* The 16 ANSI colours as xterm draws them, for nearest-colour reduction. */
static const unsigned char ansi_rgb[16][3] = {
    {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
    {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
    {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
    {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

static void xterm_rgb(int c, int rgb[3])
{
    if (c >= 232) {
        int v = 8 + (c - 232) * 10;
        rgb[0] = rgb[1] = rgb[2] = v;
        return;
    }
    static const int steps[6] = {0, 95, 135, 175, 215, 255};
    c -= 16;
    rgb[0] = steps[c / 36];
    rgb[1] = steps[(c / 6) % 6];
    rgb[2] = steps[c % 6];
}

short tui_color_reduce(short color, int ncolors)
{
    if (color == TUI_COLOR_DEFAULT || ncolors < 8)
        return TUI_COLOR_DEFAULT;
    if (ncolors >= 256 || (color < 16 && ncolors >= 16))
        return color;
    if (color >= 16) {
        int rgb[3];
        xterm_rgb(color, rgb);
        long best = -1;
        short pick = 7;
        for (short i = 0; i < 16; i++) {
            long dr = rgb[0] - ansi_rgb[i][0];
            long dg = rgb[1] - ansi_rgb[i][1];
            long db = rgb[2] - ansi_rgb[i][2];
            long d = dr * dr + dg * dg + db * db;
            if (best < 0 || d < best) {
                best = d;
                pick = i;
            }
        }
        color = pick;
    }
    if (ncolors < 16 && color >= 8)
        color = color == 8 ? 7 : (short)(color - 8); /* grey on 8 colours: white, not black */
    return color;
}

/* ---- YAML ---- */

struct ctx {
    yaml_document_t *doc;
    const char *file;
    struct lr_error *err;
};

static int fail(struct ctx *c, const yaml_node_t *node, const char *key, const char *what,
                const char *got)
{
    size_t line = node ? node->start_mark.line + 1 : 1;
    size_t col = node ? node->start_mark.column + 1 : 1;
    if (got)
        return lr_error_set(c->err, LR_ECORRUPT, "%s:%zu:%zu: key '%s': expected %s, got '%.80s'",
                            c->file, line, col, key, what, got);
    return lr_error_set(c->err, LR_ECORRUPT, "%s:%zu:%zu: key '%s': expected %s", c->file, line,
                        col, key, what);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int parse_color(struct ctx *c, const yaml_node_t *n, const char *key, short *out)
{
    static const char what[] = "a colour (default, black, red, green, yellow, blue, magenta, "
                               "cyan, white, bright-<colour>, or 0-255)";
    const char *s = scalar(n);
    if (!s)
        return fail(c, n, key, what, NULL);
    if (!strcmp(s, "default") || !strcmp(s, "none")) {
        *out = TUI_COLOR_DEFAULT;
        return 0;
    }
    for (short i = 0; i < 16; i++) {
        if (!strcmp(s, color_names[i])) {
            *out = i;
            return 0;
        }
    }
    int64_t v;
    if (lr_parse_int64(s, &v) && v >= 0 && v <= 255) {
        *out = (short)v;
        return 0;
    }
    return fail(c, n, key, what, s);
}

static int parse_attr_one(struct ctx *c, const yaml_node_t *n, const char *key, unsigned *bits)
{
    static const char what[] = "an attribute (bold, dim, underline, reverse, italic, standout)";
    const char *s = scalar(n);
    if (!s)
        return fail(c, n, key, what, NULL);
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (!strcmp(s, attr_names[i].name)) {
            *bits |= attr_names[i].bit;
            return 0;
        }
    }
    return fail(c, n, key, what, s);
}

static int parse_attrs(struct ctx *c, yaml_node_t *n, const char *key, unsigned *out)
{
    unsigned bits = 0;
    if (n->type == YAML_SCALAR_NODE) {
        if (n->data.scalar.length != 0 && parse_attr_one(c, n, key, &bits) < 0)
            return c->err->code;
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            if (parse_attr_one(c, yaml_document_get_node(c->doc, *it), key, &bits) < 0)
                return c->err->code;
        }
    } else {
        return fail(c, n, key, "a list of attributes such as [bold, underline]", NULL);
    }
    *out = bits;
    return 0;
}

static int parse_style(struct ctx *c, yaml_node_t *n, const char *role, struct tui_style *st)
{
    char key[96];
    snprintf(key, sizeof key, "roles.%s", role);
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, key, "a mapping such as { fg: white, bg: blue, attrs: [bold] }", NULL);
    struct tui_style s = {TUI_COLOR_DEFAULT, TUI_COLOR_DEFAULT, 0};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *ks = scalar(k);
        char sub[128];
        snprintf(sub, sizeof sub, "%s.%s", key, ks ? ks : "?");
        int rc = 0;
        if (ks && !strcmp(ks, "fg"))
            rc = parse_color(c, v, sub, &s.fg);
        else if (ks && !strcmp(ks, "bg"))
            rc = parse_color(c, v, sub, &s.bg);
        else if (ks && !strcmp(ks, "attrs"))
            rc = parse_attrs(c, v, sub, &s.attrs);
        else
            rc = fail(c, k, sub, "one of fg, bg, attrs", ks);
        if (rc < 0)
            return rc;
    }
    *st = s;
    return 0;
}

static int parse_roles(struct ctx *c, yaml_node_t *n, struct tui_theme *t)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "roles", "a mapping of role names to styles", NULL);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const char *ks = scalar(k);
        int role = -1;
        for (int i = 0; ks && i < ROLE_COUNT; i++)
            if (!strcmp(ks, role_keys[i]))
                role = i;
        if (role < 0) {
            char key[96];
            snprintf(key, sizeof key, "roles.%s", ks ? ks : "?");
            return fail(c, k, key,
                        "a role (normal, header, title, column_header, selection, dim, border, "
                        "footer, footer_key, ok, warn, error, risk_high, risk_medium, risk_low, "
                        "banner_dryrun, banner_live, banner_readonly, prompt, dialog, "
                        "progress_done, progress_left, sparkline, match)",
                        ks);
        }
        if (parse_style(c, yaml_document_get_node(c->doc, p->value), ks, &t->roles[role]) < 0)
            return c->err->code;
    }
    return 0;
}

int tui_theme_parse(struct tui_theme *out, const char *text, size_t len, const char *filename,
                    struct lr_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct ctx c = {&doc, filename ? filename : "(theme)", err};
    if (!yaml_parser_initialize(&parser))
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = lr_error_set(err, LR_ECORRUPT, "%s:%zu:%zu: %s%s%s", c.file,
                              parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                              parser.problem ? parser.problem : "invalid YAML",
                              parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return rc;
    }
    int rc = 0;
    tui_theme_builtin(out);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = fail(&c, root, "(top)", "a mapping with 'name' and 'roles'", NULL);
        goto done;
    }
    bool has_roles = false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
        const char *ks = scalar(k);
        if (ks && !strcmp(ks, "name")) {
            const char *vs = scalar(v);
            if (!vs) {
                rc = fail(&c, v, "name", "a theme name", NULL);
                goto done;
            }
            snprintf(out->name, sizeof out->name, "%s", vs);
        } else if (ks && !strcmp(ks, "description")) {
            continue;
        } else if (ks && !strcmp(ks, "roles")) {
            has_roles = true;
            rc = parse_roles(&c, v, out);
            if (rc < 0)
                goto done;
        } else {
            rc = fail(&c, k, ks ? ks : "?", "one of name, description, roles", ks);
            goto done;
        }
    }
    if (!has_roles)
        rc = fail(&c, root, "roles", "a 'roles' mapping", NULL);
done:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

int tui_theme_load_file(struct tui_theme *out, const char *path, struct lr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return lr_error_errno(err, errno, "theme %s", path);
    char *buf = NULL;
    size_t len = 0;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= (size_t)1 << 20) {
                rc = lr_error_set(err, LR_ELIMIT, "theme %s: larger than 1 MiB", path);
                goto done;
            }
            cap = cap ? cap * 2 : 4096;
            char *p = realloc(buf, cap);
            if (!p) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                goto done;
            }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        rc = lr_error_errno(err, errno, "reading theme %s", path);
        goto done;
    }
    rc = tui_theme_parse(out, buf, len, path, err);
done:
    free(buf);
    fclose(f);
    return rc;
}
