/* checkpoints.c - `lakerewind checkpoints list|show NAME|create NAME --type TYPE`: named
 * checkpoints of the lakehouse, from and into the CheckpointHistory metadata table, with the
 * list filters and the expiry / table-retention warnings of checkpoint_health.h. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/wfctx.h"
#include "lakerewind/checkpoint_health.h"
#include "lakerewind/event.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind checkpoints list [--type TYPE] [--active | --inactive]\n"
            "                                   [--status STATUS] [--since DATE] "
            "[--until DATE]\n"
            "                                   [--table NAME] [--json]\n"
            "       lakerewind checkpoints show NAME [--json]\n"
            "       lakerewind checkpoints validate NAME | deactivate NAME\n"
            "       lakerewind checkpoints create NAME --type TYPE [--tables a,b] "
            "[--retention-days N]\n"
            "                                 [--notes TEXT] [--json]\n"
            "  TYPE: Daily, PrePurge, PreDeployment, Manual or PostRollback\n"
            "  STATUS: Pending, Validated or Failed\n"
            "  DATE: 2025-01-15 or 2025-01-15T10:00:00Z (UTC); --until DAY includes that day\n"
            "  Active checkpoints are checked against each table's log and file retention:\n"
            "  a '!' marks one with warnings, listed below it with the property to set.\n");
}

struct cp_args {
    const char *action;
    const char *name;
    const char *type;
    const char *tables;
    const char *notes;
    int64_t retention_days;
    bool json;
    struct lr_checkpoint_filter filter;
    bool has_filter; /* a list-only option was given */
    const char *filter_option;
};

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lakerewind checkpoints: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return -1;
}

static int parse(int argc, char **argv, struct cp_args *a)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},   {"tables", required_argument, NULL, 'T'},
        {"notes", required_argument, NULL, 'n'},  {"retention-days", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},         {"help", no_argument, NULL, 'h'},
        {"active", no_argument, NULL, 'a'},       {"inactive", no_argument, NULL, 'i'},
        {"status", required_argument, NULL, 's'}, {"since", required_argument, NULL, 'S'},
        {"until", required_argument, NULL, 'U'},  {"table", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    lr_checkpoint_filter_init(&a->filter);
    struct lr_error err;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            a->type = optarg;
            if (lr_checkpoint_type_check(optarg, &err) < 0)
                return bad("--type: %s", err.message);
            break;
        case 'T': a->tables = optarg; break;
        case 'n': a->notes = optarg; break;
        case 'r':
            if (!lr_parse_int64(optarg, &a->retention_days) || a->retention_days <= 0 ||
                a->retention_days > 36500) {
                fprintf(stderr, "lakerewind checkpoints: --retention-days needs a number of "
                                "days from 1 to 36500, got \"%s\"\n", optarg);
                return -1;
            }
            break;
        case 'j': a->json = true; break;
        case 'h': usage(stdout); return 1;
        case 'a':
        case 'i':
            if (a->filter.is_active == (c == 'a' ? 0 : 1))
                return bad("--active and --inactive exclude each other");
            a->filter.is_active = c == 'a' ? 1 : 0;
            a->has_filter = true;
            a->filter_option = c == 'a' ? "--active" : "--inactive";
            break;
        case 's':
            if (lr_checkpoint_status_check(optarg, &err) < 0)
                return bad("--status: %s", err.message);
            a->filter.status = optarg;
            a->has_filter = true;
            a->filter_option = "--status";
            break;
        case 'S':
        case 'U':
            if (lr_checkpoint_parse_date(optarg, c == 'U',
                                         c == 'S' ? &a->filter.since_ms : &a->filter.until_ms,
                                         &err) < 0)
                return bad("%s: %s", c == 'S' ? "--since" : "--until", err.message);
            a->has_filter = true;
            a->filter_option = c == 'S' ? "--since" : "--until";
            break;
        case 'b':
            if (!*optarg)
                return bad("--table needs a table name");
            a->filter.table = optarg;
            a->has_filter = true;
            a->filter_option = "--table";
            break;
        default:
            fprintf(stderr, "lakerewind checkpoints: unknown or incomplete option %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return -1;
        }
    }
    if (a->filter.since_ms >= 0 && a->filter.until_ms >= 0 &&
        a->filter.since_ms > a->filter.until_ms)
        return bad("the date range is empty: --since is after --until");
    return tui_cli_action_and_name(argc, argv, optind, "checkpoints", usage, &a->action, &a->name);
}

static void print_warnings(const struct lr_cp_warnings *w, bool with_fix)
{
    for (size_t i = 0; w && i < w->count; i++) {
        const struct lr_cp_warning *x = &w->items[i];
        printf("    %s %s\n", x->is_due ? "!" : "-", x->message);
        if (with_fix && x->fix)
            printf("        fix: %s\n", x->fix);
        if (with_fix && x->alternative)
            printf("        %s\n", x->alternative);
    }
}

/* The list view: warnings of one kind in more than three tables share a line. */
static void print_warnings_grouped(const struct lr_cp_warnings *w)
{
    for (size_t i = 0; w && i < w->count; i++) {
        const struct lr_cp_warning *x = &w->items[i];
        size_t same = 0;
        bool seen = false;
        for (size_t k = 0; k < w->count; k++) {
            if (w->items[k].kind != x->kind || !w->items[k].table ||
                w->items[k].is_due != x->is_due)
                continue;
            same++;
            seen = seen || k < i;
        }
        if (same <= 3 || !x->table) {
            printf("    %s %s\n", x->is_due ? "!" : "-", x->message);
            continue;
        }
        if (seen)
            continue;
        printf("    %s %s in %zu tables, e.g. %s\n", x->is_due ? "!" : "-",
               lr_cp_warning_kind_name(x->kind), same, x->message);
    }
}

static void print_checkpoint(const struct lr_checkpoint *cp, const struct lr_cp_warnings *w,
                             bool with_tables)
{
    char created[40] = "-";
    char expires[40] = "-";
    if (cp->created_ms >= 0)
        lr_event_format_time(cp->created_ms, created, sizeof created);
    if (cp->expiry_ms >= 0)
        lr_event_format_time(cp->expiry_ms, expires, sizeof expires);
    printf("%s %-28s %-13s %-24s %-9s %-6s %3zu tables  expires %s\n",
           w && w->count ? "!" : " ", cp->name ? cp->name : "?", cp->type ? cp->type : "?",
           created, cp->validation_status ? cp->validation_status : "?",
           cp->is_active ? "active" : "off", cp->table_count, expires);
    for (size_t i = 0; with_tables && i < cp->table_count; i++) {
        const struct lr_checkpoint_table *t = &cp->tables[i];
        printf("    %-32s version %-8lld rows %-10lld files %-6lld bytes %lld\n", t->name,
               (long long)t->version, (long long)t->record_count, (long long)t->file_count,
               (long long)t->size_bytes);
    }
    if (with_tables && cp->notes)
        printf("    notes: %s\n", cp->notes);
    if (with_tables)
        print_warnings(w, true);
    else
        print_warnings_grouped(w);
}

/* The checkpoint's JSON object with its warnings. New reference. */
static json_t *checkpoint_json(const struct lr_checkpoint *cp, const struct lr_cp_warnings *w)
{
    struct lr_checkpoint_list one = {(struct lr_checkpoint *)cp, 1};
    json_t *arr = lr_checkpoint_list_json(&one);
    json_t *o = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    static const struct lr_cp_warnings none = {NULL, 0};
    json_object_set_new(o, "warnings", lr_cp_warnings_json(w ? w : &none));
    return o;
}

static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s ? s : "null");
    free(s);
}

static int do_list(struct tui_wfctx *w, const struct cp_args *a)
{
    struct lr_checkpoint_list list;
    struct lr_error err;
    if (lr_checkpoint_list(&w->ctx, &list, &err) < 0) {
        fprintf(stderr, "lakerewind checkpoints: %s\n", err.message);
        return TUI_EXIT_ERROR;
    }
    bool is_show = a->action[0] == 's';
    if (is_show) {
        const struct lr_checkpoint *cp = lr_checkpoint_find(&list, a->name);
        if (!cp) {
            fprintf(stderr, "lakerewind checkpoints: no checkpoint named %s (see `lakerewind "
                            "checkpoints list`)\n", a->name);
            lr_checkpoint_list_free(&list);
            return TUI_EXIT_ERROR;
        }
        /* keep only the one shown, so only it is checked */
        for (size_t i = 0; i < list.count; i++)
            if (&list.items[i] != cp)
                lr_checkpoint_free(&list.items[i]);
        list.items[0] = *cp;
        list.count = 1;
    } else {
        lr_checkpoint_list_filter(&list, &a->filter);
    }
    struct lr_cp_warnings *warn = NULL;
    if (lr_checkpoint_check_all(&w->ctx, &list, lr_event_now_ms(), w->warn_ms, &warn, &err) <
        0) {
        fprintf(stderr, "lakerewind checkpoints: %s\n", err.message);
        lr_checkpoint_list_free(&list);
        return TUI_EXIT_ERROR;
    }
    if (is_show && a->json) {
        json_t *o = checkpoint_json(&list.items[0], &warn[0]);
        print_json(o);
        json_decref(o);
    } else if (is_show) {
        print_checkpoint(&list.items[0], &warn[0], true);
    } else if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < list.count; i++)
            json_array_append_new(arr, checkpoint_json(&list.items[i], &warn[i]));
        print_json(arr);
        json_decref(arr);
    } else if (list.count == 0) {
        if (a->has_filter)
            printf("no checkpoint matches the filter\n");
        else
            printf("no checkpoints yet: `lakerewind checkpoints create NAME --type Manual`\n");
    } else {
        size_t flagged = 0;
        for (size_t i = 0; i < list.count; i++) {
            print_checkpoint(&list.items[i], &warn[i], false);
            flagged += warn[i].count > 0;
        }
        if (flagged)
            printf("%zu checkpoint%s with warnings ('!' due now or within %lld days, '-' "
                   "later); `lakerewind checkpoints show NAME` gives the property to set\n",
                   flagged, flagged == 1 ? "" : "s", (long long)(w->warn_ms / 86400000LL));
    }
    for (size_t i = 0; i < list.count; i++)
        lr_cp_warnings_free(&warn[i]);
    free(warn);
    lr_checkpoint_list_free(&list);
    return TUI_EXIT_OK;
}

static int do_create(struct tui_wfctx *w, const struct cp_args *a)
{
    struct lr_strvec tables = {0};
    if (a->tables && tui_split_list("checkpoints", "--tables", a->tables, &tables) < 0)
        return TUI_EXIT_USAGE;
    struct lr_checkpoint_create_options o = {0};
    o.name = a->name;
    o.type = a->type;
    o.tables = (const char *const *)tables.items;
    o.table_count = tables.count;
    o.retention_days = a->retention_days > 0 ? a->retention_days : w->checkpoint_retention_days;
    o.notes = a->notes;
    struct lr_checkpoint cp;
    struct lr_error err;
    int rc = TUI_EXIT_OK;
    if (lr_checkpoint_create(&w->ctx, &o, &cp, &err) < 0) {
        fprintf(stderr, "lakerewind checkpoints: %s\n", err.message);
        rc = err.code == LR_EINVAL ? TUI_EXIT_USAGE
             : err.code == LR_EEXISTS ? TUI_EXIT_REFUSED
                                      : TUI_EXIT_ERROR;
    } else {
        /* the short-retention flags: tables that cannot keep this version as long as the
         * checkpoint promises */
        struct lr_checkpoint_list one = {&cp, 1};
        struct lr_cp_warnings *warn = NULL;
        struct lr_error werr;
        if (lr_checkpoint_check_all(&w->ctx, &one, lr_event_now_ms(), w->warn_ms, &warn,
                                    &werr) < 0)
            fprintf(stderr, "lakerewind checkpoints: warning: retention not checked: %s\n",
                    werr.message);
        if (a->json) {
            json_t *j = checkpoint_json(&cp, warn ? &warn[0] : NULL);
            print_json(j);
            json_decref(j);
        } else {
            printf("checkpoint %s created (%s, %zu tables, %s, expires in %lld days)\n",
                   cp.name, cp.type, cp.table_count, cp.validation_status,
                   (long long)cp.retention_days);
            if (warn && warn[0].count) {
                printf("retention warnings: these tables may not keep the checkpoint's "
                       "versions until it expires:\n");
                print_warnings(&warn[0], true);
            }
        }
        if (warn)
            lr_cp_warnings_free(&warn[0]);
        free(warn);
        if (strcmp(cp.validation_status, "Validated") != 0)
            rc = TUI_EXIT_REFUSED;
        lr_checkpoint_free(&cp);
    }
    lr_strvec_free(&tables);
    return rc;
}

int tui_cmd_checkpoints(int argc, char **argv, const struct tui_global *g)
{
    struct cp_args a;
    int prc = parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? TUI_EXIT_OK : TUI_EXIT_USAGE;
    bool is_list = strcmp(a.action, "list") == 0;
    bool is_show = strcmp(a.action, "show") == 0;
    bool is_create = strcmp(a.action, "create") == 0;
    bool is_validate = strcmp(a.action, "validate") == 0;
    bool is_deactivate = strcmp(a.action, "deactivate") == 0;
    if (!is_list && !is_show && !is_create && !is_validate && !is_deactivate) {
        fprintf(stderr, "lakerewind checkpoints: unknown action \"%s\"\n", a.action);
        usage(stderr);
        return TUI_EXIT_USAGE;
    }
    if ((is_show || is_create || is_validate || is_deactivate) && !a.name) {
        fprintf(stderr, "lakerewind checkpoints %s: a checkpoint NAME is needed\n", a.action);
        return TUI_EXIT_USAGE;
    }
    if (a.has_filter && !is_list) {
        fprintf(stderr, "lakerewind checkpoints %s: %s filters `checkpoints list` only\n",
                a.action, a.filter_option);
        return TUI_EXIT_USAGE;
    }
    if (a.type && !is_list && !is_create) {
        fprintf(stderr, "lakerewind checkpoints %s: --type is for `list` (a filter) and "
                        "`create`\n", a.action);
        return TUI_EXIT_USAGE;
    }
    if (is_list && (a.tables || a.notes || a.retention_days)) {
        fprintf(stderr, "lakerewind checkpoints list: --tables, --notes and --retention-days "
                        "are for `create` (to filter by table: --table NAME)\n");
        return TUI_EXIT_USAGE;
    }
    if (is_list && a.name) {
        fprintf(stderr, "lakerewind checkpoints list: takes no NAME (to see one: `lakerewind "
                        "checkpoints show %s`)\n", a.name);
        return TUI_EXIT_USAGE;
    }
    if (is_list)
        a.filter.type = a.type;
    if (is_create && !a.type) {
        fprintf(stderr, "lakerewind checkpoints create: --type TYPE is needed (Daily, PrePurge, "
                        "PreDeployment, Manual or PostRollback)\n");
        return TUI_EXIT_USAGE;
    }
    if ((is_create || is_validate || is_deactivate) && g->read_only) {
        fprintf(stderr, "lakerewind checkpoints %s: refused in read-only mode\n", a.action);
        return TUI_EXIT_REFUSED;
    }
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, g, "checkpoints");
    if (rc != 0)
        return rc;
    if (is_validate || is_deactivate) {
        struct lr_strvec problems = {0};
        struct lr_error err;
        int vrc = is_validate ? lr_checkpoint_revalidate(&w.ctx, a.name, &problems, &err)
                              : lr_checkpoint_deactivate(&w.ctx, a.name, &err);
        if (vrc < 0) {
            fprintf(stderr, "lakerewind checkpoints %s: %s\n", a.action, err.message);
            rc = TUI_EXIT_ERROR;
        } else if (vrc > 0) {
            printf("checkpoint %s: Failed\n", a.name);
            for (size_t i = 0; i < problems.count; i++)
                printf("  %s\n", problems.items[i]);
            rc = TUI_EXIT_REFUSED;
        } else {
            printf("checkpoint %s: %s\n", a.name, is_validate ? "Validated" : "deactivated");
        }
        lr_strvec_free(&problems);
    } else {
        rc = is_create ? do_create(&w, &a) : do_list(&w, &a);
    }
    tui_wfctx_close(&w);
    return rc;
}
