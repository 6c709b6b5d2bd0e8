/* confirm.h - the plan digest and the typed confirmation phrase.
 *
 * A plan is what an execute would do: for each table in scope, the version it is at now and the
 * version it will be restored to. Its digest is the first 6 hex digits of SHA-256 over a
 * canonical text (below), so a scripted `--execute --confirm PHRASE` can only apply the exact
 * plan that was reviewed: if any table moved since, the digest differs and nothing is written.
 *
 * Canonical text (UTF-8, '\n' line ends, tables sorted bytewise by name, names length-prefixed
 * so no name can imitate a line):
 *     lakerewind-plan v1
 *     kind rollback|undo|resume
 *     target <checkpoint name, or the original run id for undo/resume>
 *     table <byte length>:<name> <current version> <target version>     (one per table)
 *
 * Phrases (keywords upper case; the checker ignores case of keywords and runs of spaces):
 *     ROLLBACK 3 TABLES TO cp-2025-01-15 3f9a2c
 *     ROLLBACK 1 TABLE TO cp-2025-01-15 3f9a2c
 *     UNDO 3 TABLES OF RUN 1b4e28ba 3f9a2c          (first 8 characters of the run id)
 *     RESUME 3 TABLES OF RUN 1b4e28ba 3f9a2c
 * When any table is High risk the phrase gets a suffix naming how many:
 *     ROLLBACK 3 TABLES TO cp-2025-01-15 3f9a2c I ACCEPT HIGH RISK ON 2 TABLES
 *
 * Everything here is pure (no store, no clock). */
#ifndef LAKEREWIND_CONFIRM_H
#define LAKEREWIND_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"

#define LR_DIGEST_LEN 6
#define LR_RUN_ID_SHORT 8

enum lr_plan_kind { LR_PLAN_ROLLBACK = 0, LR_PLAN_UNDO, LR_PLAN_RESUME };

struct lr_plan_table {
    const char *name;       /* borrowed */
    int64_t current_version;
    int64_t target_version;
};

struct lr_plan {
    enum lr_plan_kind kind;
    const char *target;              /* checkpoint name (rollback) or original run id (undo,
                                        resume); borrowed */
    const struct lr_plan_table *tables; /* borrowed; any order */
    size_t count;
    size_t high_risk_count;          /* tables scored High (risk.h) */
};

/* Digest of `plan` into out (LR_DIGEST_LEN lower-case hex digits + NUL).
 * Errors: LR_EINVAL (no target, a table without a name, duplicate table), LR_ENOMEM. */
int lr_plan_digest(char out[LR_DIGEST_LEN + 1], const struct lr_plan *plan, struct lr_error *err);

/* The canonical text the digest is computed over (for tests and the journal). Caller frees. */
char *lr_plan_canonical(const struct lr_plan *plan);

/* The phrase the operator must type for `plan` with `digest`. Caller frees; NULL on ENOMEM. */
char *lr_confirm_phrase(const struct lr_plan *plan, const char *digest);

enum lr_confirm_verdict {
    LR_CONFIRM_OK = 0,
    LR_CONFIRM_EMPTY,          /* nothing typed */
    LR_CONFIRM_WRONG_ACTION,   /* ROLLBACK typed for an undo, or an unknown first word */
    LR_CONFIRM_WRONG_COUNT,    /* the table count differs from the plan's */
    LR_CONFIRM_WRONG_TARGET,   /* another checkpoint or run */
    LR_CONFIRM_WRONG_DIGEST,   /* the plan changed since it was reviewed */
    LR_CONFIRM_HIGH_RISK,      /* high-risk words missing, wrong or not expected */
    LR_CONFIRM_MALFORMED,      /* words missing, misspelt or extra */
};

/* Check what the operator typed against `plan` and its current `digest`. Returns the verdict
 * and writes into `why` (cap bytes) one line saying what is wrong and what to type; `why` is
 * "" for LR_CONFIRM_OK. */
enum lr_confirm_verdict lr_confirm_check(const struct lr_plan *plan, const char *digest,
                                         const char *typed, char *why, size_t cap);

/* Stable name of a verdict ("wrong_digest"). Static storage. */
const char *lr_confirm_verdict_name(enum lr_confirm_verdict v);

/* A checkpoint name usable in a phrase, a key and a file name: 1-128 characters from
 * [A-Za-z0-9._:-], starting with a letter or digit. 0 or LR_EINVAL saying what is wrong. */
int lr_checkpoint_name_check(const char *name, struct lr_error *err);

#endif
