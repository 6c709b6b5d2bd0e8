/* pqw_support.c - see pqw_support.h. */
#include "pqw_support.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lakerewind/parquet.h"
#include "lakerewind/str.h"
#include "testsupport.h"

/* Run `cmd` (stderr to `err_path`) and parse each stdout line as one JSON row. */
static json_t *json_lines(const char *cmd, const char *err_path, const char *what)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    json_t *rows = json_array();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, p)) > 0) {
        json_error_t je;
        json_t *row = json_loadb(line, (size_t)n, 0, &je);
        if (!row)
            fail_msg("%s printed a line that is not JSON (%s): %s", what, je.text, line);
        json_array_append_new(rows, row);
    }
    free(line);
    int status = pclose(p);
    if (status != 0) {
        char *msg = lr_test_read_file(err_path, NULL);
        fail_msg("%s failed (status %d)\n%s\n(is tests/support/node_modules installed? "
                 "./dev deps)", what, status, msg ? msg : "");
    }
    return rows;
}

static const char *source_dir(void)
{
    const char *src = getenv("LR_SOURCE_DIR");
    return src ? src : ".";
}

json_t *pqw_duckdb(const char *sql)
{
    char *dir = lr_test_tmpdir("duckdb-sql");
    char *sql_path = lr_asprintf("%s/query.sql", dir);
    char *err_path = lr_asprintf("%s/stderr.txt", dir);
    lr_test_write_file(sql_path, sql, strlen(sql));
    char *cmd = lr_asprintf("node '%s/tests/support/duckdb.js' - < '%s' 2> '%s'", source_dir(),
                            sql_path, err_path);
    char *what = lr_asprintf("duckdb.js on %.300s", sql);
    json_t *rows = json_lines(cmd, err_path, what);
    free(what);
    free(cmd);
    free(sql_path);
    free(err_path);
    free(dir);
    return rows;
}

json_t *pqw_other_reader(const char *which, const char *path)
{
    char *dir = lr_test_tmpdir("other-reader");
    char *err_path = lr_asprintf("%s/stderr.txt", dir);
    char *cmd = lr_asprintf("node '%s/tests/parquet_write/readers.mjs' %s '%s' 2> '%s'",
                            source_dir(), which, path, err_path);
    char *what = lr_asprintf("readers.mjs %s %s", which, path);
    json_t *rows = json_lines(cmd, err_path, what);
    free(what);
    free(cmd);
    free(err_path);
    free(dir);
    return rows;
}

static bool digits_equal(const char *s, json_int_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, v);
    return strcmp(s, buf) == 0;
}

static bool differ(char *why, size_t n, const char *path, const json_t *want, const json_t *got)
{
    char *a = json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT);
    char *b = got ? json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT) : strdup("(missing)");
    snprintf(why, n, "%s: want %s, got %s", *path ? path : "(row)", a ? a : "?", b ? b : "?");
    free(a);
    free(b);
    return false;
}

/* "YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|+00]" -> "YYYY-MM-DD HH:MM:SS[.fraction, no trailing 0]";
 * false when `s` is not such a timestamp. */
static bool norm_ts(const char *s, char *out, size_t n)
{
    size_t len = strlen(s);
    if (len < 19 || len > 40)
        return false;
    for (int i = 0; i < 19; i++) {
        char c = s[i];
        bool ok = (i == 4 || i == 7) ? c == '-'
                  : i == 10          ? (c == ' ' || c == 'T')
                  : (i == 13 || i == 16) ? c == ':'
                                         : (c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    size_t p = 19;
    char frac[16] = "";
    if (s[p] == '.') {
        size_t k = 0;
        for (p++; s[p] >= '0' && s[p] <= '9' && k < sizeof frac - 1; p++)
            frac[k++] = s[p];
        frac[k] = '\0';
        while (k > 0 && frac[k - 1] == '0')
            frac[--k] = '\0';
    }
    if (strcmp(s + p, "Z") != 0 && strcmp(s + p, "+00") != 0 && s[p] != '\0')
        return false;
    snprintf(out, n, "%.10s %.8s%s%s", s, s + 11, frac[0] ? "." : "", frac);
    return true;
}

static int forms; /* PQW_* flags of the comparison in progress */

static bool same_at(const json_t *want, const json_t *got, char *why, size_t n, const char *path)
{
    if (!want || json_is_null(want)) {
        if (!got || json_is_null(got))
            return true;
        return differ(why, n, path, json_null(), got);
    }
    if (!got)
        return differ(why, n, path, want, got);
    if (json_is_integer(want) && json_is_string(got))
        return digits_equal(json_string_value(got), json_integer_value(want)) ||
               differ(why, n, path, want, got);
    if ((forms & PQW_TS_FORMS) && json_is_string(want) && json_is_string(got)) {
        char a[64];
        char b[64];
        if (norm_ts(json_string_value(want), a, sizeof a) &&
            norm_ts(json_string_value(got), b, sizeof b))
            return strcmp(a, b) == 0 || differ(why, n, path, want, got);
    }
    if ((forms & PQW_NUM_FORMS) && json_is_string(want) && json_is_number(got)) {
        /* DuckDB prints DECIMAL as exact text, our reader as a number */
        char *end;
        double a = strtod(json_string_value(want), &end);
        double b = json_number_value(got);
        if (*end == '\0' && end != json_string_value(want))
            return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)) ||
                   differ(why, n, path, want, got);
    }
    if (json_is_number(want) && json_is_number(got)) {
        if (json_is_integer(want) && json_is_integer(got))
            return json_integer_value(want) == json_integer_value(got) ||
                   differ(why, n, path, want, got);
        double a = json_number_value(want);
        double b = json_number_value(got);
        if ((forms & PQW_NUM_FORMS) && (float)a == (float)b)
            return true; /* FLOAT columns: DuckDB widens float32, our reader prints shortest */
        return a == b || (isnan(a) && isnan(b)) || differ(why, n, path, want, got);
    }
    if (json_is_object(want) && json_is_object(got)) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)want, k, v) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            if (!same_at(v, json_object_get(got, k), why, n, sub))
                return false;
        }
        json_object_foreach((json_t *)got, k, v) {
            if (!json_object_get(want, k) && !json_is_null(v)) {
                char sub[512];
                snprintf(sub, sizeof sub, "%s.%s", path, k);
                return differ(why, n, sub, json_null(), v);
            }
        }
        return true;
    }
    if (json_is_array(want) && json_is_array(got)) {
        if (json_array_size(want) != json_array_size(got))
            return differ(why, n, path, want, got);
        for (size_t i = 0; i < json_array_size(want); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (!same_at(json_array_get(want, i), json_array_get(got, i), why, n, sub))
                return false;
        }
        return true;
    }
    return json_equal((json_t *)want, (json_t *)got) || differ(why, n, path, want, got);
}

bool pqw_same(const json_t *want, const json_t *got, char *why, size_t why_len)
{
    return pqw_same_forms(want, got, 0, why, why_len);
}

bool pqw_same_forms(const json_t *want, const json_t *got, int flags, char *why, size_t why_len)
{
    forms = flags;
    bool r = same_at(want, got, why, why_len, "");
    forms = 0;
    return r;
}

void pqw_assert_rows(const json_t *want, const json_t *got)
{
    pqw_assert_rows_forms(want, got, 0);
}

void pqw_assert_rows_forms(const json_t *want, const json_t *got, int flags)
{
    char why[1024];
    if (json_array_size(want) != json_array_size(got))
        fail_msg("row count: want %zu, got %zu", json_array_size(want), json_array_size(got));
    for (size_t i = 0; i < json_array_size(want); i++)
        if (!pqw_same_forms(json_array_get(want, i), json_array_get(got, i), flags, why,
                            sizeof why))
            fail_msg("row %zu differs: %s", i, why);
}

json_t *pqw_read_ours(const struct lr_buf *file, const char *name)
{
    struct lr_error err;
    struct lr_parquet_file *f = NULL;
    if (lr_parquet_open_buffer(&f, file->data, file->len, name, &err) < 0)
        fail_msg("our reader cannot open %s: %s", name, err.message);
    struct lr_parquet_rows *r = NULL;
    if (lr_parquet_rows_open(&r, f, NULL, 0, &err) < 0)
        fail_msg("our reader cannot read %s: %s", name, err.message);
    json_t *rows = json_array();
    for (;;) {
        json_t *row = NULL;
        int rc = lr_parquet_rows_next(r, &row, &err);
        if (rc < 0)
            fail_msg("our reader, %s, row %zu: %s", name, json_array_size(rows), err.message);
        if (rc == 0)
            break;
        json_array_append_new(rows, row);
    }
    assert_int_equal(lr_parquet_num_rows(f), json_array_size(rows));
    lr_parquet_rows_close(r);
    lr_parquet_close(f);
    return rows;
}

char *pqw_save(const char *dir, const char *name, const struct lr_buf *b)
{
    char *path = lr_asprintf("%s/%s", dir, name);
    lr_test_write_file(path, b->data, b->len);
    return path;
}

void pqw_declare_checkpoint(struct lr_parquet_writer *w)
{
    struct lr_error err;
    if (pqw_checkpoint_schema(w, &err) < 0)
        fail_msg("declare the checkpoint schema: %s", err.message);
}

void pqw_append_all(struct lr_parquet_writer *w, const json_t *rows)
{
    struct lr_error err;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row) {
        if (lr_parquet_writer_append_json(w, row, &err) < 0)
            fail_msg("append row %zu: %s", i, err.message);
    }
}

static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void pqw_format_date(int64_t days, char *out, size_t n)
{
    int64_t y;
    unsigned m;
    unsigned d;
    civil(days, &y, &m, &d);
    snprintf(out, n, "%04" PRId64 "-%02u-%02u", y, m, d);
}

void pqw_format_timestamp(int64_t micros, char *out, size_t n)
{
    int64_t secs = micros / 1000000;
    int64_t frac = micros % 1000000;
    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    char date[32];
    pqw_format_date(days, date, sizeof date);
    char fr[16] = "";
    if (frac) {
        snprintf(fr, sizeof fr, ".%06" PRId64, frac);
        size_t k = strlen(fr);
        while (k > 1 && fr[k - 1] == '0')
            fr[--k] = '\0';
    }
    snprintf(out, n, "%sT%02d:%02d:%02d%sZ", date, (int)(rem / 3600), (int)(rem / 60 % 60),
             (int)(rem % 60), fr);
}
