/* runfmt.c - see runfmt.h. */
#include "runfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../sanitize.h"

void tui_put_clean(char *buf, size_t cap, const char *raw)
{
    char *clean = tui_sanitize_str(raw ? raw : "", false);
    snprintf(buf, cap, "%s", clean ? clean : "");
    free(clean);
}

void tui_format_ms(char *buf, size_t cap, int64_t ms, const char *fmt)
{
    if (ms < 0) {
        snprintf(buf, cap, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(buf, cap, fmt, &tm) == 0 && cap)
        buf[0] = '\0';
}

void tui_format_duration(char *buf, size_t cap, int64_t ms)
{
    if (ms < 0)
        snprintf(buf, cap, "-");
    else if (ms < 1000)
        snprintf(buf, cap, "%lldms", (long long)ms);
    else if (ms < 60000)
        snprintf(buf, cap, "%lld.%llds", (long long)(ms / 1000), (long long)(ms % 1000 / 100));
    else if (ms < 3600000)
        snprintf(buf, cap, "%lldm%02llds", (long long)(ms / 60000),
                 (long long)(ms % 60000 / 1000));
    else
        snprintf(buf, cap, "%lldh%02lldm", (long long)(ms / 3600000),
                 (long long)(ms % 3600000 / 60000));
}

const char *tui_run_status_word(const struct lr_run_state *r, enum tui_role *role)
{
    if (r->is_dry_run) {
        *role = ROLE_DIM;
        return "- dry-run";
    }
    if (!r->is_finished) {
        *role = ROLE_WARN;
        return "! interrupted";
    }
    switch (r->status) {
    case LR_RUN_SUCCEEDED: *role = ROLE_OK; return "+ succeeded";
    case LR_RUN_PARTIAL: *role = ROLE_WARN; return "! partial";
    case LR_RUN_DRY_RUN: *role = ROLE_DIM; return "- dry-run";
    case LR_RUN_REFUSED: *role = ROLE_ERROR; return "x refused";
    default: *role = ROLE_ERROR; return "x failed";
    }
}

const char *tui_run_undo_refusal(const struct lr_run_state *r)
{
    if (r->is_dry_run)
        return "a dry run wrote no table";
    if (!r->is_finished)
        return "the run was interrupted: resume or undo it from the start-up choice";
    if (r->status != LR_RUN_SUCCEEDED && r->status != LR_RUN_PARTIAL)
        return "the run restored no table";
    return NULL;
}
