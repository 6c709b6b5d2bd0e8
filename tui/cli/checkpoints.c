/* checkpoints.c - `lakerewind checkpoints list|show NAME|create NAME --type TYPE`: named
 * checkpoints of the lakehouse, from and into the CheckpointHistory metadata table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/wfctx.h"
#include "lakerewind/event.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind checkpoints list [--json]\n"
            "       lakerewind checkpoints show NAME [--json]\n"
            "       lakerewind checkpoints validate NAME | deactivate NAME\n"
            "       lakerewind checkpoints create NAME --type TYPE [--tables a,b] "
            "[--retention-days N]\n"
            "                                 [--notes TEXT] [--json]\n"
            "  TYPE: Daily, PrePurge, PreDeployment, Manual or PostRollback\n");
}

struct cp_args {
    const char *action;
    const char *name;
    const char *type;
    const char *tables;
    const char *notes;
    int64_t retention_days;
    bool json;
};

static int parse(int argc, char **argv, struct cp_args *a)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},   {"tables", required_argument, NULL, 'T'},
        {"notes", required_argument, NULL, 'n'},  {"retention-days", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't': a->type = optarg; break;
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
        default:
            fprintf(stderr, "lakerewind checkpoints: unknown or incomplete option %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return -1;
        }
    }
    return tui_cli_action_and_name(argc, argv, optind, "checkpoints", usage, &a->action, &a->name);
}

static void print_checkpoint(const struct lr_checkpoint *cp, bool with_tables)
{
    char created[40] = "-";
    char expires[40] = "-";
    if (cp->created_ms >= 0)
        lr_event_format_time(cp->created_ms, created, sizeof created);
    if (cp->expiry_ms >= 0)
        lr_event_format_time(cp->expiry_ms, expires, sizeof expires);
    printf("%-28s %-13s %-24s %-9s %-6s %3zu tables  expires %s\n", cp->name ? cp->name : "?",
           cp->type ? cp->type : "?", created, cp->validation_status ? cp->validation_status : "?",
           cp->is_active ? "active" : "off", cp->table_count, expires);
    for (size_t i = 0; with_tables && i < cp->table_count; i++) {
        const struct lr_checkpoint_table *t = &cp->tables[i];
        printf("    %-32s version %-8lld rows %-10lld files %-6lld bytes %lld\n", t->name,
               (long long)t->version, (long long)t->record_count, (long long)t->file_count,
               (long long)t->size_bytes);
    }
    if (with_tables && cp->notes)
        printf("    notes: %s\n", cp->notes);
}

static int do_list(struct tui_wfctx *w, const struct cp_args *a)
{
    struct lr_checkpoint_list list;
    struct lr_error err;
    if (lr_checkpoint_list(&w->ctx, &list, &err) < 0) {
        fprintf(stderr, "lakerewind checkpoints: %s\n", err.message);
        return TUI_EXIT_ERROR;
    }
    int rc = TUI_EXIT_OK;
    if (a->action[0] == 's') { /* show */
        const struct lr_checkpoint *cp = lr_checkpoint_find(&list, a->name);
        if (!cp) {
            fprintf(stderr, "lakerewind checkpoints: no checkpoint named %s (see `lakerewind "
                            "checkpoints list`)\n", a->name);
            rc = TUI_EXIT_ERROR;
        } else if (a->json) {
            struct lr_checkpoint_list one = {(struct lr_checkpoint *)cp, 1};
            json_t *j = lr_checkpoint_list_json(&one);
            char *s = json_dumps(json_array_get(j, 0), JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            printf("%s\n", s ? s : "null");
            free(s);
            json_decref(j);
        } else {
            print_checkpoint(cp, true);
        }
    } else if (a->json) {
        json_t *j = lr_checkpoint_list_json(&list);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", s ? s : "[]");
        free(s);
        json_decref(j);
    } else if (list.count == 0) {
        printf("no checkpoints yet: `lakerewind checkpoints create NAME --type Manual`\n");
    } else {
        for (size_t i = 0; i < list.count; i++)
            print_checkpoint(&list.items[i], false);
    }
    lr_checkpoint_list_free(&list);
    return rc;
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
    o.retention_days = a->retention_days;
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
        if (a->json) {
            struct lr_checkpoint_list one = {&cp, 1};
            json_t *j = lr_checkpoint_list_json(&one);
            char *s = json_dumps(json_array_get(j, 0), JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            printf("%s\n", s ? s : "null");
            free(s);
            json_decref(j);
        } else {
            printf("checkpoint %s created (%s, %zu tables, %s)\n", cp.name, cp.type,
                   cp.table_count, cp.validation_status);
        }
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
