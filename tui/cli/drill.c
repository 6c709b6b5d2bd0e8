/* drill.c - `lakerewind drill list|run|score|results`: training drills (drill.h,
 * lakerewind-scenarios(7)). `run` builds a scenario's sandbox and prints the incident; with
 * --answers FILE it then runs the trainee's commands from FILE for real (this binary, against
 * the sandbox) and scores the outcome. `score` scores the sandbox's audit trail and records the
 * result in DrillResults; `results` lists the recorded results. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/commands.h"
#include "cli/wfctx.h"
#include "lakerewind/buf.h"
#include "lakerewind/drill.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind drill list [--json]\n"
            "       lakerewind drill run SCENARIO [--dir DIR] [--as-of YYYY-MM-DD] "
            "[--scale PCT] [--seed N]\n"
            "                                     [--answers FILE] [--json]\n"
            "       lakerewind drill score SCENARIO --dir DIR [--json]\n"
            "       lakerewind drill results --dir DIR [--json]\n"
            "  run builds the scenario's sandbox (default DIR: ./drill-SCENARIO) and prints the\n"
            "  incident; --answers runs the lakerewind commands in FILE (one per line) against\n"
            "  it and scores the result. score reads the sandbox's audit trail, prints the\n"
            "  debrief and records it in Tables/metadata/DrillResults.\n");
}

struct dr_args {
    const char *action, *scenario, *dir, *answers, *as_of;
    int64_t scale, seed;
    bool json;
};

static int parse(int argc, char **argv, struct dr_args *a)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},   {"answers", required_argument, NULL, 'a'},
        {"as-of", required_argument, NULL, 'o'}, {"scale", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'S'},  {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->dir = optarg; break;
        case 'a': a->answers = optarg; break;
        case 'o': a->as_of = optarg; break;
        case 's':
            if (!lr_parse_int64(optarg, &a->scale) || a->scale < 1 || a->scale > 1000) {
                fprintf(stderr, "lakerewind drill: --scale needs a percentage from 1 to 1000, "
                                "got \"%s\"\n", optarg);
                return -1;
            }
            break;
        case 'S':
            if (!lr_parse_int64(optarg, &a->seed) || a->seed < 1) {
                fprintf(stderr, "lakerewind drill: --seed needs a positive number, got \"%s\"\n",
                        optarg);
                return -1;
            }
            break;
        case 'j': a->json = true; break;
        case 'h': usage(stdout); return 1;
        default:
            fprintf(stderr, "lakerewind drill: unknown or incomplete option %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return -1;
        }
    }
    return tui_cli_action_and_name(argc, argv, optind, "drill", usage, &a->action, &a->scenario);
}

static int list(bool json)
{
    size_t n;
    const struct lr_drill_scenario *cat = lr_drill_catalog(&n);
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", cat[i].id,
                                                 "title", cat[i].title, "move",
                                                 lr_drill_move_name(cat[i].move), "story",
                                                 cat[i].story));
        char *s = arr ? json_dumps(arr, JSON_INDENT(2)) : NULL;
        printf("%s\n", s ? s : "[]");
        free(s);
        json_decref(arr);
        return TUI_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-20s %s\n", cat[i].id, cat[i].title);
    printf("\nstart one with: lakerewind drill run SCENARIO [--dir DIR]\n");
    return TUI_EXIT_OK;
}

static int open_store(const char *dir, bool create, struct lr_store **out)
{
    struct lr_error err;
    struct lr_kv kv = {"create_root", "true"};
    struct lr_store_options so = {create ? &kv : NULL, create ? 1 : 0, false};
    if (lr_store_open(out, dir, &so, &err) < 0) {
        fprintf(stderr, "lakerewind drill: %s\n", err.message);
        return TUI_EXIT_ERROR;
    }
    return 0;
}

static void print_incident(const struct lr_drill_scenario *sc, const struct lr_drill_sandbox *sb,
                           const char *dir)
{
    printf("DRILL %s: %s\n\nIncident:\n  %s\n\nYour task:\n  %s\n\n", sc->id, sc->title,
           sc->story, sc->task);
    printf("The sandbox lakehouse is %s. Work in the console:\n"
           "  lakerewind --lakehouse %s%s%s%s%s\n"
           "or with the commands:\n"
           "  lakerewind --lakehouse %s checkpoints list\n"
           "  lakerewind --lakehouse %s runs\n"
           "  lakerewind --lakehouse %s rollback CHECKPOINT [--tables a,b]      (dry run)\n"
           "  lakerewind --lakehouse %s rollback CHECKPOINT [--tables a,b] --execute "
           "--confirm PHRASE\n"
           "  lakerewind --lakehouse %s undo RUN_ID | rollback --resume RUN_ID\n"
           "  lakerewind --lakehouse %s checkpoints create NAME --type TYPE "
           "--retention-days N\n"
           "When you are done, score yourself:\n"
           "  lakerewind drill score %s --dir %s\n",
           dir, dir, sb->config_path[0] ? " --config " : "", sb->config_path[0] ? dir : "",
           sb->config_path[0] ? "/" : "", sb->config_path[0] ? sb->config_path : "", dir, dir,
           dir, dir, dir, dir, sc->id, dir);
    if (sb->config_path[0])
        printf("(the configuration is %s/%s: pass it with --config)\n", dir, sb->config_path);
}

/* ---- scripted answers ------------------------------------------------------------------- */

/* Split a command line into words: blanks separate, '...' and "..." quote. */
static int split_words(const char *line, struct lr_strvec *out)
{
    char word[4096];
    size_t n = 0;
    bool in_word = false;
    char quote = 0;
    for (const char *p = line;; p++) {
        char ch = *p;
        if (!ch || (!quote && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'))) {
            if (quote)
                return -1;
            if (in_word) {
                word[n] = '\0';
                if (lr_strvec_push(out, word) < 0)
                    return -1;
            }
            n = 0;
            in_word = false;
            if (!ch)
                return 0;
            continue;
        }
        if ((ch == '\'' || ch == '"') && (!quote || quote == ch)) {
            quote = quote ? 0 : ch;
            in_word = true;
            continue;
        }
        if (n + 1 >= sizeof word)
            return -1;
        word[n++] = ch;
        in_word = true;
    }
}

/* Replace {phrase}, {setup_run}, {dir}, {checkpoint} in `in`. Caller frees. */
static char *substitute(const char *in, const char *phrase, const struct lr_drill_sandbox *sb,
                        const char *dir)
{
    struct {
        const char *key, *value;
    } subs[] = {{"{phrase}", phrase}, {"{setup_run}", sb->setup_run}, {"{dir}", dir},
                {"{checkpoint}", sb->checkpoint}};
    char *cur = lr_strdup(in);
    for (size_t k = 0; cur && k < sizeof subs / sizeof subs[0]; k++) {
        char *at;
        while (cur && (at = strstr(cur, subs[k].key))) {
            *at = '\0';
            char *next = lr_asprintf("%s%s%s", cur, subs[k].value,
                                     at + strlen(subs[k].key));
            free(cur);
            cur = next;
        }
    }
    return cur;
}

/* The phrase the output asks for, if any. */
static void find_phrase(const char *out, char *phrase, size_t size)
{
    const char *p = strstr(out, "--confirm '");
    if (p) {
        p += strlen("--confirm '");
        const char *e = strchr(p, '\'');
        if (e && e > p)
            snprintf(phrase, size, "%.*s", (int)(e - p), p);
        return;
    }
    p = strstr(out, "\"confirmation_phrase\": \"");
    if (p) {
        p += strlen("\"confirmation_phrase\": \"");
        const char *e = strchr(p, '"');
        if (e && e > p)
            snprintf(phrase, size, "%.*s", (int)(e - p), p);
    }
}

/* Run this binary with `words` after `--lakehouse dir`; its output is captured into *out. */
static int run_child(const char *dir, const struct lr_strvec *words, char **out)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    size_t skip = words->count && !strcmp(words->items[0], "lakerewind") ? 1 : 0;
    char **argv = calloc(words->count + 4, sizeof *argv);
    if (!argv) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    size_t n = 0;
    argv[n++] = "lakerewind";
    argv[n++] = "--lakehouse";
    argv[n++] = (char *)dir;
    for (size_t i = skip; i < words->count; i++)
        argv[n++] = words->items[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    free(argv);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    struct lr_buf buf;
    struct lr_error err;
    lr_buf_init(&buf, 0);
    char chunk[4096];
    ssize_t got;
    while ((got = read(fds[0], chunk, sizeof chunk)) > 0)
        lr_buf_append(&buf, chunk, (size_t)got, &err);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    lr_buf_append(&buf, "", 0, &err);
    *out = (char *)lr_buf_take(&buf, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int run_answers(const struct lr_drill_scenario *sc, const struct lr_drill_sandbox *sb,
                       struct lr_store *store, const char *dir, const char *path, FILE *log)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "lakerewind drill: cannot read the answers file %s: %s\n", path,
                strerror(errno));
        return TUI_EXIT_USAGE;
    }
    char line[4096], phrase[256] = "";
    bool writer_fired = false;
    int rc = 0, lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || *s == '\n')
            continue;
        char *cmd = substitute(s, phrase, sb, dir);
        struct lr_strvec words = {0};
        if (!cmd || split_words(cmd, &words) < 0 || words.count == 0) {
            fprintf(stderr, "lakerewind drill: %s:%d: cannot split the command line (an "
                            "unclosed quote?)\n", path, lineno);
            rc = TUI_EXIT_USAGE;
        } else {
            char *out = NULL;
            fprintf(log, "$ lakerewind --lakehouse %s %s", dir, cmd);
            if (cmd[strlen(cmd) - 1] != '\n')
                fprintf(log, "\n");
            int code = run_child(dir, &words, &out);
            fprintf(log, "%s[exit %d]\n\n", out ? out : "", code);
            char fresh[256] = "";
            if (out)
                find_phrase(out, fresh, sizeof fresh);
            if (fresh[0]) {
                snprintf(phrase, sizeof phrase, "%s", fresh);
                if (sc->writer && !writer_fired) {
                    struct lr_error err;
                    writer_fired = true;
                    if (lr_drill_writer_commit(store, sc, &err) < 0) {
                        fprintf(stderr, "lakerewind drill: %s\n", err.message);
                        rc = TUI_EXIT_ERROR;
                    } else {
                        fprintf(log, "(meanwhile the still-running sync job committed "
                                     "another batch to %s)\n\n", sc->incident_tables[0]);
                    }
                }
            }
            free(out);
        }
        free(cmd);
        lr_strvec_free(&words);
    }
    fclose(f);
    return rc;
}

/* The interactive writer: a detached process that waits for the trainee's first dry run in
 * the audit log, then commits one more batch, as the still-running sync job would. */
static void start_writer(const struct lr_drill_scenario *sc, const struct lr_drill_sandbox *sb,
                         const char *dir)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) {
        if (pid > 0)
            printf("\nA sync writer is still running against the sandbox (process %d).\n",
                   (int)pid);
        return;
    }
    setsid();
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
        _exit(1);
    struct lr_store *store = NULL;
    if (open_store(dir, false, &store) != 0)
        _exit(1);
    for (int i = 0; i < 3600; i++) {
        sleep(1);
        if (access(dir, F_OK) != 0)
            break; /* the sandbox was removed */
        json_t *rows = NULL;
        struct lr_error err;
        bool seen = false;
        if (lr_md_read(store, NULL, LR_MD_SYNC_AUDIT_LOG, &rows, &err) == 0) {
            size_t k;
            json_t *row;
            json_array_foreach(rows, k, row) {
                const char *op = json_string_value(json_object_get(row, "Operation"));
                if (op && !strcmp(op, "DryRun") &&
                    lr_md_time_ms(json_object_get(row, "StartTime")) >= sb->started_ms)
                    seen = true;
            }
        }
        json_decref(rows);
        if (seen) {
            sleep(2);
            lr_drill_writer_commit(store, sc, &err);
            break;
        }
    }
    lr_store_close(store);
    _exit(0);
}

/* ---- scoring ---------------------------------------------------------------------------- */

static int score(const struct lr_drill_scenario *sc, const char *dir, const struct tui_global *g,
                 bool json)
{
    struct tui_global lg = *g;
    lg.lakehouse = dir;
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, &lg, "drill");
    if (rc != 0)
        return rc;
    struct lr_error err;
    struct lr_drill_sandbox sb;
    struct lr_drill_score s = {0};
    if (lr_drill_sandbox_load(w.ctx.store, sc, &sb, &err) < 0 ||
        lr_drill_score(&w.ctx, sc, &sb, &s, &err) < 0 ||
        lr_drill_results_append(&w.ctx, &s, w.operator_name, &err) < 0) {
        fprintf(stderr, "lakerewind drill: %s\n", err.message);
        rc = TUI_EXIT_ERROR;
    } else if (json) {
        json_t *o = lr_drill_score_json(&s);
        char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        printf("%s\n", text ? text : "null");
        free(text);
        json_decref(o);
    } else {
        printf("%s", s.debrief);
        printf("(recorded in %s/DrillResults)\n", LR_METADATA_DEFAULT_LOCATION);
    }
    lr_drill_score_free(&s);
    tui_wfctx_close(&w);
    return rc;
}

static int results(const char *dir, const struct tui_global *g, bool json)
{
    struct tui_global lg = *g;
    lg.lakehouse = dir;
    struct tui_wfctx w;
    int rc = tui_wfctx_open(&w, &lg, "drill");
    if (rc != 0)
        return rc;
    json_t *rows = NULL;
    struct lr_error err;
    if (lr_drill_results_read(&w.ctx, &rows, &err) < 0) {
        fprintf(stderr, "lakerewind drill: %s\n", err.message);
        rc = TUI_EXIT_ERROR;
    } else if (json) {
        char *text = json_dumps(rows, JSON_INDENT(2));
        printf("%s\n", text ? text : "[]");
        free(text);
    } else {
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
            printf("%-20s %3lld %-10s %-24s %s\n",
                   json_string_value(json_object_get(row, "Scenario")),
                   (long long)json_integer_value(json_object_get(row, "Score")),
                   json_is_true(json_object_get(row, "Passed")) ? "passed" : "not passed",
                   json_string_value(json_object_get(row, "CheckpointUsed"))
                       ? json_string_value(json_object_get(row, "CheckpointUsed"))
                       : "-",
                   json_string_value(json_object_get(row, "Trainee"))
                       ? json_string_value(json_object_get(row, "Trainee"))
                       : "-");
        if (json_array_size(rows) == 0)
            printf("no drill has been scored in %s yet\n", dir);
    }
    json_decref(rows);
    tui_wfctx_close(&w);
    return rc;
}

static int parse_day(const char *text, int64_t *ms_out)
{
    struct tm tm = {0};
    const char *end = strptime(text, "%Y-%m-%d", &tm);
    if (!end || *end)
        return -1;
    *ms_out = (int64_t)timegm(&tm) * 1000;
    return 0;
}

static int run(const struct lr_drill_scenario *sc, const struct dr_args *a,
               const struct tui_global *g)
{
    struct lr_drill_options o = {0};
    if (a->as_of && parse_day(a->as_of, &o.anchor_ms) < 0) {
        fprintf(stderr, "lakerewind drill: --as-of needs YYYY-MM-DD, got \"%s\"\n", a->as_of);
        return TUI_EXIT_USAGE;
    }
    o.scale_pct = (unsigned)a->scale;
    o.seed = (uint64_t)a->seed;
    char *dir = a->dir ? lr_strdup(a->dir) : lr_asprintf("drill-%s", sc->id);
    struct lr_store *store = NULL;
    int rc = dir ? open_store(dir, true, &store) : TUI_EXIT_ERROR;
    struct lr_drill_sandbox sb;
    struct lr_error err;
    if (rc == 0 && lr_drill_build(store, sc, &o, &sb, &err) < 0) {
        fprintf(stderr, "lakerewind drill: %s\n", err.message);
        rc = TUI_EXIT_ERROR;
    }
    FILE *log = a->json ? stderr : stdout;
    if (rc == 0 && !a->answers) {
        print_incident(sc, &sb, dir);
        if (sc->writer)
            start_writer(sc, &sb, dir);
    } else if (rc == 0) {
        fprintf(log, "DRILL %s: %s (scripted answers from %s)\n\n", sc->id, sc->title,
                a->answers);
        rc = run_answers(sc, &sb, store, dir, a->answers, log);
        if (rc == 0)
            rc = score(sc, dir, g, a->json);
    }
    lr_store_close(store);
    free(dir);
    return rc;
}

int tui_cmd_drill(int argc, char **argv, const struct tui_global *g)
{
    struct dr_args a;
    int prc = parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? TUI_EXIT_OK : TUI_EXIT_USAGE;
    if (!strcmp(a.action, "list"))
        return list(a.json);
    if (!strcmp(a.action, "results")) {
        if (!a.dir) {
            fprintf(stderr, "lakerewind drill results: give the sandbox with --dir DIR\n");
            return TUI_EXIT_USAGE;
        }
        return results(a.dir, g, a.json);
    }
    if (strcmp(a.action, "run") != 0 && strcmp(a.action, "score") != 0) {
        fprintf(stderr, "lakerewind drill: unknown action \"%s\" (list, run, score, results)\n",
                a.action);
        return TUI_EXIT_USAGE;
    }
    const struct lr_drill_scenario *sc = lr_drill_find(a.scenario);
    if (!sc) {
        fprintf(stderr, "lakerewind drill %s: %s%s%s: see `lakerewind drill list`\n", a.action,
                a.scenario ? "no scenario named \"" : "give a SCENARIO",
                a.scenario ? a.scenario : "", a.scenario ? "\"" : "");
        return TUI_EXIT_USAGE;
    }
    if (!strcmp(a.action, "score")) {
        if (!a.dir) {
            fprintf(stderr, "lakerewind drill score: give the sandbox with --dir DIR\n");
            return TUI_EXIT_USAGE;
        }
        return score(sc, a.dir, g, a.json);
    }
    if (g->read_only) {
        fprintf(stderr, "lakerewind drill run: building a sandbox writes; refused in read-only "
                        "mode\n");
        return TUI_EXIT_REFUSED;
    }
    return run(sc, &a, g);
}
