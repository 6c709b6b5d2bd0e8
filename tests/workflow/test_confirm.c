/* test_confirm.c - plan digests, confirmation phrases and the checker's explanations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/confirm.h"
#include "lakerewind/identity.h"
#include "testsupport.h"

static const struct lr_plan_table three[] = {
    {"account", 57, 41},
    {"contact", 12, 10},
    {"donation", 99, 80},
};

static struct lr_plan plan_of(const struct lr_plan_table *t, size_t n)
{
    struct lr_plan p = {LR_PLAN_ROLLBACK, "cp-2025-01-15", t, n, 0};
    return p;
}

static void digest_of(const struct lr_plan *p, char out[LR_DIGEST_LEN + 1])
{
    struct lr_error err;
    if (lr_plan_digest(out, p, &err) < 0)
        fail_msg("digest: %s", err.message);
}

static void test_digest_is_six_hex_and_order_independent(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char d1[LR_DIGEST_LEN + 1];
    digest_of(&p, d1);
    assert_int_equal(strlen(d1), 6);
    assert_int_equal(strspn(d1, "0123456789abcdef"), 6);
    const struct lr_plan_table shuffled[] = {three[2], three[0], three[1]};
    struct lr_plan q = plan_of(shuffled, 3);
    char d2[LR_DIGEST_LEN + 1];
    digest_of(&q, d2);
    assert_string_equal(d1, d2);
}

static void test_digest_matches_sha256_of_canonical_text(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char *text = lr_plan_canonical(&p);
    assert_non_null(text);
    assert_string_equal(text, "lakerewind-plan v1\nkind rollback\ntarget cp-2025-01-15\n"
                              "table 7:account 57 41\ntable 7:contact 12 10\n"
                              "table 8:donation 99 80\n");
    /* Independent check with the sha256sum tool. */
    char *dir = lr_test_tmpdir("digest");
    char path[4096];
    snprintf(path, sizeof path, "%s/plan.txt", dir);
    lr_test_write_file(path, text, strlen(text));
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char line[256] = "";
    assert_non_null(fgets(line, sizeof line, f));
    pclose(f);
    char d[LR_DIGEST_LEN + 1];
    digest_of(&p, d);
    assert_memory_equal(line, d, LR_DIGEST_LEN);
    free(text);
    free(dir);
}

static void test_digest_changes_when_any_version_changes(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char base[LR_DIGEST_LEN + 1];
    digest_of(&p, base);
    struct lr_plan_table moved[] = {three[0], {"contact", 13, 10}, three[2]};
    struct lr_plan q = plan_of(moved, 3);
    char d[LR_DIGEST_LEN + 1];
    digest_of(&q, d);
    assert_string_not_equal(base, d);
    struct lr_plan r = plan_of(three, 2);
    digest_of(&r, d);
    assert_string_not_equal(base, d);
    struct lr_plan s = p;
    s.target = "cp-2025-01-16";
    digest_of(&s, d);
    assert_string_not_equal(base, d);
    s = p;
    s.kind = LR_PLAN_UNDO;
    digest_of(&s, d);
    assert_string_not_equal(base, d);
}

static void test_digest_rejects_duplicate_table_and_missing_target(void **state)
{
    (void)state;
    const struct lr_plan_table dup[] = {{"a", 2, 1}, {"a", 3, 1}};
    struct lr_plan p = plan_of(dup, 2);
    char d[LR_DIGEST_LEN + 1];
    struct lr_error err;
    assert_int_equal(lr_plan_digest(d, &p, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "appears twice"));
    p = plan_of(three, 3);
    p.target = NULL;
    assert_int_equal(lr_plan_digest(d, &p, &err), LR_EINVAL);
}

static void test_phrase_wording_singular_plural_and_high_risk(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char *s = lr_confirm_phrase(&p, "3f9a2c");
    assert_string_equal(s, "ROLLBACK 3 TABLES TO cp-2025-01-15 3f9a2c");
    free(s);
    p.count = 1;
    s = lr_confirm_phrase(&p, "3f9a2c");
    assert_string_equal(s, "ROLLBACK 1 TABLE TO cp-2025-01-15 3f9a2c");
    free(s);
    p.count = 3;
    p.high_risk_count = 2;
    s = lr_confirm_phrase(&p, "3f9a2c");
    assert_string_equal(s, "ROLLBACK 3 TABLES TO cp-2025-01-15 3f9a2c I ACCEPT HIGH RISK ON 2 "
                           "TABLES");
    free(s);
    p.high_risk_count = 1;
    p.kind = LR_PLAN_UNDO;
    p.target = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    s = lr_confirm_phrase(&p, "aaaaaa");
    assert_string_equal(s, "UNDO 3 TABLES OF RUN 1b4e28ba aaaaaa I ACCEPT HIGH RISK ON 1 TABLE");
    free(s);
}

static enum lr_confirm_verdict check(const struct lr_plan *p, const char *typed, char *why)
{
    char d[LR_DIGEST_LEN + 1];
    digest_of(p, d);
    return lr_confirm_check(p, d, typed, why, 600);
}

static void test_checker_accepts_exact_and_loose_spacing_and_case(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char d[LR_DIGEST_LEN + 1];
    digest_of(&p, d);
    char *phrase = lr_confirm_phrase(&p, d);
    char why[600];
    assert_int_equal(lr_confirm_check(&p, d, phrase, why, sizeof why), LR_CONFIRM_OK);
    assert_string_equal(why, "");
    char loose[256];
    snprintf(loose, sizeof loose, "  rollback 3   tables to cp-2025-01-15\t%s \n", d);
    assert_int_equal(lr_confirm_check(&p, d, loose, why, sizeof why), LR_CONFIRM_OK);
    free(phrase);
}

static void test_checker_explains_changed_plan(void **state)
{
    (void)state;
    struct lr_plan reviewed = plan_of(three, 3);
    char old[LR_DIGEST_LEN + 1];
    digest_of(&reviewed, old);
    char *phrase = lr_confirm_phrase(&reviewed, old);
    /* Someone appended to contact after the review. */
    struct lr_plan_table now_t[] = {three[0], {"contact", 13, 10}, three[2]};
    struct lr_plan now = plan_of(now_t, 3);
    char why[600];
    assert_int_equal(check(&now, phrase, why), LR_CONFIRM_WRONG_DIGEST);
    assert_non_null(strstr(why, "the plan changed since you reviewed it"));
    assert_non_null(strstr(why, old));
    free(phrase);
}

static void test_checker_explains_each_mistake(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    char d[LR_DIGEST_LEN + 1];
    digest_of(&p, d);
    char why[600];
    char typed[256];
    assert_int_equal(check(&p, "", why), LR_CONFIRM_EMPTY);
    assert_non_null(strstr(why, "ROLLBACK 3 TABLES TO cp-2025-01-15"));
    snprintf(typed, sizeof typed, "UNDO 3 TABLES TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_WRONG_ACTION);
    snprintf(typed, sizeof typed, "ROLLBACK 2 TABLES TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_WRONG_COUNT);
    assert_non_null(strstr(why, "says 2 tables but the plan has 3 tables"));
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-14 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_WRONG_TARGET);
    assert_non_null(strstr(why, "cp-2025-01-14"));
    assert_int_equal(check(&p, "ROLLBACK 3 TABLES TO cp-2025-01-15", why), LR_CONFIRM_MALFORMED);
    assert_non_null(strstr(why, "digest is missing"));
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLE TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_MALFORMED);
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-15 %s please", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_MALFORMED);
    assert_non_null(strstr(why, "please"));
    snprintf(typed, sizeof typed, "ROLLBACK three TABLES TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_MALFORMED);
}

static void test_checker_requires_high_risk_words(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 3);
    p.high_risk_count = 2;
    char d[LR_DIGEST_LEN + 1];
    digest_of(&p, d);
    char why[600];
    char typed[256];
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_HIGH_RISK);
    assert_non_null(strstr(why, "I ACCEPT HIGH RISK ON 2 TABLES"));
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-15 %s I ACCEPT HIGH RISK ON 1 "
                                  "TABLE", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_HIGH_RISK);
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-15 %s i accept high risk on 2 "
                                  "tables", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_OK);
    p.high_risk_count = 0;
    digest_of(&p, d);
    snprintf(typed, sizeof typed, "ROLLBACK 3 TABLES TO cp-2025-01-15 %s I ACCEPT HIGH RISK ON 2 "
                                  "TABLES", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_HIGH_RISK);
}

static void test_undo_phrase_checks_run_prefix(void **state)
{
    (void)state;
    struct lr_plan p = plan_of(three, 2);
    p.kind = LR_PLAN_UNDO;
    p.target = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    char d[LR_DIGEST_LEN + 1];
    digest_of(&p, d);
    char why[600];
    char typed[256];
    snprintf(typed, sizeof typed, "UNDO 2 TABLES OF RUN 1B4E28BA %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_OK);
    snprintf(typed, sizeof typed, "UNDO 2 TABLES OF RUN 2b4e28ba %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_WRONG_TARGET);
    snprintf(typed, sizeof typed, "ROLLBACK 2 TABLES TO cp-2025-01-15 %s", d);
    assert_int_equal(check(&p, typed, why), LR_CONFIRM_WRONG_ACTION);
    assert_non_null(strstr(why, "undo plan"));
}

static void test_checkpoint_names(void **state)
{
    (void)state;
    struct lr_error err;
    assert_int_equal(lr_checkpoint_name_check("cp-2025-01-15", &err), 0);
    assert_int_equal(lr_checkpoint_name_check("Daily_2025.01.15T10:00", &err), 0);
    assert_int_equal(lr_checkpoint_name_check("", &err), LR_EINVAL);
    assert_int_equal(lr_checkpoint_name_check("-x", &err), LR_EINVAL);
    assert_int_equal(lr_checkpoint_name_check("bad name", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "position 4"));
    assert_int_equal(lr_checkpoint_name_check("a/b", &err), LR_EINVAL);
}

static void test_run_ids_are_v4_and_distinct(void **state)
{
    (void)state;
    char a[LR_RUN_ID_LEN + 1];
    char b[LR_RUN_ID_LEN + 1];
    struct lr_error err;
    assert_int_equal(lr_run_id_new(a, &err), 0);
    assert_int_equal(lr_run_id_new(b, &err), 0);
    assert_true(lr_run_id_valid(a));
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    assert_false(lr_run_id_valid("1b4e28ba-2fa1-41d2-883f-0016d3cca42"));
    assert_false(lr_run_id_valid("1B4E28BA-2fa1-41d2-883f-0016d3cca427"));
    assert_int_equal(lr_run_id_check("nope", &err), LR_EINVAL);
}

static void test_operator_resolution_order(void **state)
{
    (void)state;
    enum lr_identity_source src;
    struct lr_identity_inputs in = {"alice@contoso.com", "oncall", "bob"};
    assert_string_equal(lr_operator_resolve(&in, &src), "alice@contoso.com");
    assert_int_equal(src, LR_IDENTITY_TOKEN);
    in.token_identity = "  ";
    assert_string_equal(lr_operator_resolve(&in, &src), "oncall");
    assert_int_equal(src, LR_IDENTITY_CONFIG);
    in.configured_operator = NULL;
    assert_string_equal(lr_operator_resolve(&in, &src), "bob");
    assert_int_equal(src, LR_IDENTITY_LOGIN);
    in.login_name = "";
    assert_string_equal(lr_operator_resolve(&in, &src), "unknown");
    assert_int_equal(src, LR_IDENTITY_UNKNOWN);
    char login[256];
    assert_non_null(lr_login_name(login, sizeof login));
    assert_true(strlen(login) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_is_six_hex_and_order_independent),
        cmocka_unit_test(test_digest_matches_sha256_of_canonical_text),
        cmocka_unit_test(test_digest_changes_when_any_version_changes),
        cmocka_unit_test(test_digest_rejects_duplicate_table_and_missing_target),
        cmocka_unit_test(test_phrase_wording_singular_plural_and_high_risk),
        cmocka_unit_test(test_checker_accepts_exact_and_loose_spacing_and_case),
        cmocka_unit_test(test_checker_explains_changed_plan),
        cmocka_unit_test(test_checker_explains_each_mistake),
        cmocka_unit_test(test_checker_requires_high_risk_words),
        cmocka_unit_test(test_undo_phrase_checks_run_prefix),
        cmocka_unit_test(test_checkpoint_names),
        cmocka_unit_test(test_run_ids_are_v4_and_distinct),
        cmocka_unit_test(test_operator_resolution_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
