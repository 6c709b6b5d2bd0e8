/* confirm.c - plan digest (SHA-256 over a canonical text), confirmation phrases, and the
 * checker that explains why a typed phrase is wrong. Pure; see confirm.h for the formats. */
#include "lakerewind/confirm.h"

#include <ctype.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lakerewind/buf.h"
#include "lakerewind/str.h"

static const char *kind_word(enum lr_plan_kind k)
{
    switch (k) {
    case LR_PLAN_UNDO:
        return "UNDO";
    case LR_PLAN_RESUME:
        return "RESUME";
    default:
        return "ROLLBACK";
    }
}

static const char *kind_name(enum lr_plan_kind k)
{
    switch (k) {
    case LR_PLAN_UNDO:
        return "undo";
    case LR_PLAN_RESUME:
        return "resume";
    default:
        return "rollback";
    }
}

static int cmp_table(const void *a, const void *b)
{
    const struct lr_plan_table *const *x = a;
    const struct lr_plan_table *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Sorted pointers to the plan's tables; NULL on ENOMEM (or when count is 0, *ok tells). */
static const struct lr_plan_table **sorted_tables(const struct lr_plan *plan)
{
    const struct lr_plan_table **v = calloc(plan->count ? plan->count : 1, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < plan->count; i++)
        v[i] = &plan->tables[i];
    qsort(v, plan->count, sizeof *v, cmp_table);
    return v;
}

static int canonical(struct lr_buf *b, const struct lr_plan *plan, struct lr_error *err)
{
    if (!plan->target || !*plan->target)
        return lr_error_set(err, LR_EINVAL, "plan has no checkpoint or run to target");
    for (size_t i = 0; i < plan->count; i++)
        if (!plan->tables[i].name || !*plan->tables[i].name)
            return lr_error_set(err, LR_EINVAL, "plan table %zu has no name", i);
    const struct lr_plan_table **v = sorted_tables(plan);
    if (!v)
        return lr_error_set(err, LR_ENOMEM, "out of memory sorting the plan");
    int rc = lr_buf_printf(b, err, "lakerewind-plan v1\nkind %s\ntarget %s\n",
                           kind_name(plan->kind), plan->target);
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        if (i > 0 && strcmp(v[i - 1]->name, v[i]->name) == 0) {
            rc = lr_error_set(err, LR_EINVAL, "table %s appears twice in the plan", v[i]->name);
            break;
        }
        rc = lr_buf_printf(b, err, "table %zu:%s %lld %lld\n", strlen(v[i]->name), v[i]->name,
                           (long long)v[i]->current_version, (long long)v[i]->target_version);
    }
    free(v);
    return rc;
}

char *lr_plan_canonical(const struct lr_plan *plan)
{
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    if (canonical(&b, plan, &err) < 0) {
        lr_buf_free(&b);
        return NULL;
    }
    return (char *)lr_buf_take(&b, NULL);
}

int lr_plan_digest(char out[LR_DIGEST_LEN + 1], const struct lr_plan *plan, struct lr_error *err)
{
    struct lr_buf b = LR_BUF_INIT;
    int rc = canonical(&b, plan, err);
    if (rc < 0)
        goto done;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (!EVP_Digest(b.data, b.len, md, &md_len, EVP_sha256(), NULL)) {
        rc = lr_error_set(err, LR_ENOMEM, "SHA-256 of the plan failed");
        goto done;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < LR_DIGEST_LEN; i++) {
        unsigned char byte = md[i / 2];
        out[i] = hex[(i % 2 == 0) ? byte >> 4 : byte & 0xf];
    }
    out[LR_DIGEST_LEN] = '\0';
done:
    lr_buf_free(&b);
    return rc;
}

static const char *tables_word(size_t n)
{
    return n == 1 ? "TABLE" : "TABLES";
}

/* The run id as it appears in a phrase: its first LR_RUN_ID_SHORT characters. */
static void short_target(const struct lr_plan *plan, char *out, size_t cap)
{
    if (plan->kind == LR_PLAN_ROLLBACK)
        snprintf(out, cap, "%s", plan->target);
    else
        snprintf(out, cap, "%.*s", LR_RUN_ID_SHORT, plan->target);
}

char *lr_confirm_phrase(const struct lr_plan *plan, const char *digest)
{
    char target[256];
    short_target(plan, target, sizeof target);
    char suffix[96] = "";
    if (plan->high_risk_count > 0)
        snprintf(suffix, sizeof suffix, " I ACCEPT HIGH RISK ON %zu %s", plan->high_risk_count,
                 tables_word(plan->high_risk_count));
    if (plan->kind == LR_PLAN_ROLLBACK)
        return lr_asprintf("ROLLBACK %zu %s TO %s %s%s", plan->count, tables_word(plan->count),
                           target, digest, suffix);
    return lr_asprintf("%s %zu %s OF RUN %s %s%s", kind_word(plan->kind), plan->count,
                       tables_word(plan->count), target, digest, suffix);
}

const char *lr_confirm_verdict_name(enum lr_confirm_verdict v)
{
    static const char *n[] = {"ok",           "empty",        "wrong_action", "wrong_count",
                              "wrong_target", "wrong_digest", "high_risk",    "malformed"};
    return (size_t)v < sizeof n / sizeof n[0] ? n[v] : "unknown";
}

#define MAX_WORDS 24

/* Split on whitespace into at most MAX_WORDS words (in place in `buf`). Returns the count, or
 * MAX_WORDS + 1 when there are more. */
static size_t split_words(char *buf, char **words)
{
    size_t n = 0;
    char *p = buf;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (n == MAX_WORDS)
            return MAX_WORDS + 1;
        words[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static bool word_is(const char *w, const char *kw)
{
    return w && strcasecmp(w, kw) == 0;
}

static bool parse_count(const char *w, size_t *out)
{
    int64_t v;
    if (!w || !lr_parse_int64(w, &v) || v < 0)
        return false;
    *out = (size_t)v;
    return true;
}

static enum lr_confirm_verdict verdict(enum lr_confirm_verdict v, char *why, size_t cap,
                                       const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum lr_confirm_verdict verdict(enum lr_confirm_verdict v, char *why, size_t cap,
                                       const char *expected, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (expected)
        snprintf(why, cap, "%s; to confirm this plan type: %s", msg, expected);
    else
        snprintf(why, cap, "%s", msg);
    return v;
}

enum lr_confirm_verdict lr_confirm_check(const struct lr_plan *plan, const char *digest,
                                         const char *typed, char *why, size_t cap)
{
    if (cap > 0)
        why[0] = '\0';
    char *expected = lr_confirm_phrase(plan, digest);
    char *copy = lr_strdup(typed ? typed : "");
    enum lr_confirm_verdict v = LR_CONFIRM_OK;
    char target[256];
    short_target(plan, target, sizeof target);
    const char *exp = expected ? expected : "(out of memory)";
    if (!copy) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, NULL, "out of memory checking the phrase");
        goto done;
    }
    char *w[MAX_WORDS];
    size_t n = split_words(copy, w);
    size_t i = 0;
    if (n == 0) {
        v = verdict(LR_CONFIRM_EMPTY, why, cap, exp, "no confirmation phrase was given");
        goto done;
    }
    if (n > MAX_WORDS) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "the phrase has too many words");
        goto done;
    }
    if (!word_is(w[i], kind_word(plan->kind))) {
        v = verdict(LR_CONFIRM_WRONG_ACTION, why, cap, exp,
                    "the phrase starts with '%s' but this is %s %s plan", w[i],
                    plan->kind == LR_PLAN_ROLLBACK ? "a" : "an", kind_name(plan->kind));
        goto done;
    }
    i++;
    size_t count = 0;
    if (i >= n || !parse_count(w[i], &count)) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "expected the number of tables after %s",
                    kind_word(plan->kind));
        goto done;
    }
    if (count != plan->count) {
        v = verdict(LR_CONFIRM_WRONG_COUNT, why, cap, exp,
                    "the phrase says %zu %s but the plan has %zu %s", count,
                    count == 1 ? "table" : "tables", plan->count,
                    plan->count == 1 ? "table" : "tables");
        goto done;
    }
    i++;
    if (i >= n || !word_is(w[i], tables_word(plan->count))) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "expected '%s' after the count",
                    tables_word(plan->count));
        goto done;
    }
    i++;
    if (plan->kind == LR_PLAN_ROLLBACK) {
        if (i >= n || !word_is(w[i], "TO")) {
            v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "expected 'TO' and the checkpoint");
            goto done;
        }
        i++;
    } else {
        if (i + 1 >= n || !word_is(w[i], "OF") || !word_is(w[i + 1], "RUN")) {
            v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "expected 'OF RUN' and the run id");
            goto done;
        }
        i += 2;
    }
    if (i >= n) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "the %s is missing",
                    plan->kind == LR_PLAN_ROLLBACK ? "checkpoint name" : "run id");
        goto done;
    }
    bool target_ok = plan->kind == LR_PLAN_ROLLBACK ? strcmp(w[i], target) == 0
                                                    : strcasecmp(w[i], target) == 0;
    if (!target_ok) {
        v = verdict(LR_CONFIRM_WRONG_TARGET, why, cap, exp,
                    "the phrase names %s '%s' but this plan %s '%s'",
                    plan->kind == LR_PLAN_ROLLBACK ? "checkpoint" : "run", w[i],
                    plan->kind == LR_PLAN_ROLLBACK ? "rolls back to checkpoint" : "acts on run",
                    target);
        goto done;
    }
    i++;
    if (i >= n) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp,
                    "the plan digest is missing after the %s",
                    plan->kind == LR_PLAN_ROLLBACK ? "checkpoint name" : "run id");
        goto done;
    }
    if (strcasecmp(w[i], digest) != 0) {
        v = verdict(LR_CONFIRM_WRONG_DIGEST, why, cap, NULL,
                    "the plan changed since you reviewed it (you confirmed plan %s, the plan is "
                    "now %s): nothing was written; review the impact again and confirm: %s",
                    w[i], digest, exp);
        goto done;
    }
    i++;
    if (plan->high_risk_count > 0) {
        static const char *risk_words[] = {"I", "ACCEPT", "HIGH", "RISK", "ON"};
        for (size_t k = 0; k < 5; k++) {
            if (i + k >= n || !word_is(w[i + k], risk_words[k])) {
                v = verdict(LR_CONFIRM_HIGH_RISK, why, cap, exp,
                            "%zu %s High risk: the phrase must end with "
                            "'I ACCEPT HIGH RISK ON %zu %s'",
                            plan->high_risk_count,
                            plan->high_risk_count == 1 ? "table is" : "tables are",
                            plan->high_risk_count, tables_word(plan->high_risk_count));
                goto done;
            }
        }
        i += 5;
        size_t hr = 0;
        if (i >= n || !parse_count(w[i], &hr) || hr != plan->high_risk_count ||
            i + 1 >= n || !word_is(w[i + 1], tables_word(plan->high_risk_count))) {
            v = verdict(LR_CONFIRM_HIGH_RISK, why, cap, exp,
                        "the plan has %zu High-risk %s: accept exactly that number",
                        plan->high_risk_count, plan->high_risk_count == 1 ? "table" : "tables");
            goto done;
        }
        i += 2;
    } else if (i < n && word_is(w[i], "I")) {
        v = verdict(LR_CONFIRM_HIGH_RISK, why, cap, exp,
                    "no table in this plan is High risk: leave out 'I ACCEPT HIGH RISK'");
        goto done;
    }
    if (i < n) {
        v = verdict(LR_CONFIRM_MALFORMED, why, cap, exp, "unexpected words from '%s' on", w[i]);
        goto done;
    }
done:
    free(copy);
    free(expected);
    return v;
}

int lr_checkpoint_name_check(const char *name, struct lr_error *err)
{
    if (!name || !*name)
        return lr_error_set(err, LR_EINVAL, "a checkpoint name is needed (letters, digits, "
                                            "'.', '_', ':' or '-')");
    size_t len = strlen(name);
    if (len > 128)
        return lr_error_set(err, LR_EINVAL, "checkpoint name is %zu characters long; the limit "
                                            "is 128", len);
    if (!isalnum((unsigned char)name[0]))
        return lr_error_set(err, LR_EINVAL, "checkpoint name '%.128s' must start with a letter "
                                            "or digit", name);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
            return lr_error_set(err, LR_EINVAL, "checkpoint name '%.128s' has a character that "
                                                "is not allowed at position %zu (use letters, "
                                                "digits, '.', '_', ':' or '-')", name, i + 1);
    }
    return 0;
}
