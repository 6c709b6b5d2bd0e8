/* testsupport.c - see testsupport.h. */
#include "testsupport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "lakerewind/metadata.h"

static void mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

char *lr_test_tmpdir(const char *tag)
{
    const char *base = getenv("LR_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    mkdirs(base);
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/%s-XXXXXX", base, tag);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

const char *lr_test_corpus(void)
{
    const char *c = getenv("LAKEREWIND_CORPUS");
    return c && *c ? c : "../shared/corpus";
}

void lr_test_write_file(const char *path, const void *data, size_t len)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        mkdirs(dir);
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

char *lr_test_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len_out)
        *len_out = (size_t)n;
    return buf;
}

void lr_test_copy_tree(const char *from, const char *to)
{
    char cmd[8192];
    mkdirs(to);
    snprintf(cmd, sizeof cmd, "cp -a '%s/.' '%s/'", from, to);
    assert_int_equal(system(cmd), 0);
}

int lr_test_run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    int st = pclose(p);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void lr_test_append_id_rows(struct lr_store *store, const char *prefix, int first, int n)
{
    static const struct lr_column_def cols[] = {
        {"id", LR_COL_STRING, true, NULL},
        {"amount", LR_COL_LONG, true, NULL},
    };
    static const struct lr_table_def def = {"t", "row", cols, 2};
    json_t *rows = json_array();
    for (int i = first; i < first + n; i++) {
        char id[32];
        snprintf(id, sizeof id, "r%d", i);
        json_array_append_new(rows, json_pack("{s:s,s:I}", "id", id, "amount", (json_int_t)i));
    }
    struct lr_error err;
    if (lr_table_append_rows(store, prefix, &def, rows, NULL, NULL, &err) < 0)
        fail_msg("append to %s: %s", prefix, err.message);
    json_decref(rows);
}

struct json_t *lr_test_json(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text ? text : "", 0, &jerr);
    if (!j)
        fail_msg("not JSON (%s): %s", jerr.text, text ? text : "(null)");
    return j;
}
