/* wfctx.h - building the lakehouse context and the rollback configuration from the resolved
 * profile, for the checkpoints / rollback / runs commands (tui/cli/wfctx.c). */
#ifndef TUI_WFCTX_H
#define TUI_WFCTX_H

#include "cli/cli.h"
#include "lakerewind/checkpoint.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/rollback.h"

struct tui_wfctx {
    struct lr_lakehouse_ctx ctx;
    struct lr_rollback_config cfg;
    struct lr_risk_thresholds thresholds;
    char operator_name[256];
    enum lr_identity_source operator_source; /* where operator_name came from */
    int64_t warn_ms;                /* retention.expiry_warning (7 days without a profile) */
    int64_t checkpoint_retention_days; /* retention.checkpoint in days (30 without a profile) */
    struct lr_relationship *relationships;
    struct lr_table_columns *primary_keys;
};

/* Open the lakehouse and fill everything from `g` (settings may be NULL). Prints the error
 * and returns an exit code (> 0) on failure, 0 on success. Release with tui_wfctx_close(). */
int tui_wfctx_open(struct tui_wfctx *w, const struct tui_global *g, const char *command);
void tui_wfctx_close(struct tui_wfctx *w);

/* Split "a,b,c" into a vector (empty items refused). 0 or -1 after printing why. */
int tui_split_list(const char *command, const char *option, const char *text,
                   struct lr_strvec *out);

/* An event sink printing plain timestamped lines to stderr (non-terminal, non-JSON output)
 * or JSON lines to stdout (--events). */
struct lr_event_sink tui_event_sink_text(void);
struct lr_event_sink tui_event_sink_json(void);

/* Human output of an impact / a run result (tui/cli/rollback.c); `with_tables` false leaves
 * out the per-table lines (the live progress block already shows them). */
void tui_print_impact(const struct lr_impact *im);
void tui_print_result(const struct lr_run_result *r, bool with_tables);

/* Warn on stderr about interrupted runs (journal without run_finished), with the commands
 * that resume or reverse them. */
void tui_warn_interrupted(const struct tui_wfctx *w);

/* Exit code of a finished run. */
int tui_exit_for_status(enum lr_run_status s);

#endif
