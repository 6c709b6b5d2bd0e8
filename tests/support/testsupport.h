/* testsupport.h - helpers for cmocka tests: temp dirs, the corpus path, running commands. */
#ifndef LR_TESTSUPPORT_H
#define LR_TESTSUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the above first */
#include <cmocka.h>

/* A fresh empty directory under $LR_TEST_TMP (or /tmp); caller frees the string. The directory
 * is left for inspection; ctest's build dir is disposable. */
char *lr_test_tmpdir(const char *tag);
/* $LAKEREWIND_CORPUS or "../shared/corpus" next to the source tree. Static storage. */
const char *lr_test_corpus(void);
/* Write a file (creating parent dirs). Fails the test on error. */
void lr_test_write_file(const char *path, const void *data, size_t len);
/* Read a whole file; caller frees. NULL if missing. */
char *lr_test_read_file(const char *path, size_t *len_out);
/* Recursively copy a directory tree (for tests that modify corpus tables). */
void lr_test_copy_tree(const char *from, const char *to);
/* Run `cmd` with /bin/sh, its standard output into *out (NUL-terminated; caller frees). Returns
 * its exit status, -1 when it did not exit normally. Fails the test when it cannot start. */
int lr_test_run(const char *cmd, char **out);
/* Append rows first..first+n-1 of a two-column test table (id STRING "r<i>", amount LONG i) to
 * the Delta table at `prefix` with our own writer (one commit). Fails the test on error. */
struct lr_store;
void lr_test_append_id_rows(struct lr_store *store, const char *prefix, int first, int n);
/* `text` parsed as JSON (new reference); fails the test, quoting the text, when it is not. */
struct json_t;
struct json_t *lr_test_json(const char *text);

#endif
