/* test_config.c - the configuration loader: errors with positions, profiles, environment
 * overrides, the search order, the permission warning, and the example file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"
#include "lakerewind/config.h"
#include "lakerewind/log.h"
#include "testsupport.h"

static char *example_path(void)
{
    const char *src = getenv("LR_SOURCE_DIR");
    return lr_asprintf("%s/config/lakerewind.example.yaml", src && *src ? src : ".");
}

static struct lr_config *load_ok(const char *text)
{
    struct lr_config *cfg = NULL;
    struct lr_error err;
    int rc = lr_config_load_text(&cfg, "t.yaml", text, strlen(text), &err);
    if (rc < 0)
        fail_msg("unexpected error: %s", err.message);
    return cfg;
}

/* The load fails with LR_EINVAL, the message contains `needle`, and it ends in
 * "t.yaml:<line>:<col>: expected ...". */
static void expect_error(const char *text, int line, int col, const char *needle)
{
    struct lr_config *cfg = NULL;
    struct lr_error err;
    lr_error_clear(&err);
    int rc = lr_config_load_text(&cfg, "t.yaml", text, strlen(text), &err);
    if (rc != LR_EINVAL)
        fail_msg("expected LR_EINVAL for:\n%s\ngot %d: %s", text, rc, err.message);
    assert_null(cfg);
    assert_int_equal(err.code, LR_EINVAL);
    char pos[64];
    snprintf(pos, sizeof pos, "t.yaml:%d:%d: expected ", line, col);
    const char *at = strstr(err.message, pos);
    if (!at)
        fail_msg("message lacks '%s': %s", pos, err.message);
    /* The position part is the last thing before the expected form. */
    assert_null(strstr(at + strlen(pos), "t.yaml:"));
    if (needle && !strstr(err.message, needle))
        fail_msg("message lacks '%s': %s", needle, err.message);
}

static void test_bad_yaml_names_file_line_column(void **state)
{
    (void)state;
    expect_error("profiles:\n  dev:\n\tlakehouse: x\n", 3, 1, "invalid YAML");
    expect_error("log:\n  level: \"info\n", 3, 1, "invalid YAML");
    expect_error("log: [info\n", 2, 1, "invalid YAML");
    expect_error("ui:\n  theme: a\n  theme: b\n", 3, 3, "duplicate key 'theme'");
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "second YAML document");
    expect_error("log: *nothing\n", 1, 6, "no anchor");
    expect_error("- a\n- b\n", 1, 1, "the configuration is a list");
}

static void test_unknown_key_suggests_nearest(void **state)
{
    (void)state;
    expect_error("profiles:\n  prod:\n    lakehous: /tmp\n", 3, 5,
                 "unknown key 'lakehous' in profiles.prod (did you mean 'lakehouse'?)");
    expect_error("ui:\n  theem: dark\n", 2, 3, "(did you mean 'theme'?)");
    expect_error("logg:\n  level: info\n", 1, 1, "(did you mean 'log'?)");
    /* A key in the wrong section points at where it belongs. */
    expect_error("parallel: 4\n", 1, 1, "(did you mean 'profiles.*.parallel'?)");
    expect_error("profiles:\n  p:\n    lakehouse: /x\n    risk:\n      hihg:\n        bytes: 1\n",
                 5, 7, "(did you mean 'high'?)");
    expect_error("ui:\n  keys:\n    restor: R\n", 3, 5, "(did you mean 'restore'?)");
    /* The expected form lists the known keys. */
    expect_error("log:\n  nope: 1\n", 2, 3, "expected one of: file, level");
    expect_error("profiles:\n  bad name:\n    lakehouse: /x\n", 2, 3, "bad profile name");
}

static void test_wrong_type_names_expected_form(void **state)
{
    (void)state;
    const char *head = "profiles:\n  p:\n    lakehouse: /x\n";
    char text[512];
    snprintf(text, sizeof text, "%s    parallel: many\n", head);
    expect_error(text, 4, 15, "expected a whole number from 1 to 64");
    snprintf(text, sizeof text, "%s    parallel: 100\n", head);
    expect_error(text, 4, 15, "'100' is not valid");
    snprintf(text, sizeof text, "%s    read_only: maybe\n", head);
    expect_error(text, 4, 16, "expected true or false");
    snprintf(text, sizeof text, "%s    webhook:\n      timeout: 10\n", head);
    expect_error(text, 5, 16, "expected a duration");
    snprintf(text, sizeof text, "%s    risk:\n      high:\n        bytes: 10XB\n", head);
    expect_error(text, 6, 16, "expected a size");
    snprintf(text, sizeof text, "%s    risk:\n      schema_change: extreme\n", head);
    expect_error(text, 5, 22, "expected one of low,medium,high");
    snprintf(text, sizeof text, "%s    tables: account\n", head);
    expect_error(text, 4, 13, "a single value where a list belongs");
    snprintf(text, sizeof text, "%s    storage: [a, b]\n", head);
    expect_error(text, 4, 14, "a list where a mapping belongs");
    snprintf(text, sizeof text, "%s    storage:\n      endpoint: {a: b}\n", head);
    expect_error(text, 5, 17, "a nested value");
    snprintf(text, sizeof text, "%s    primary_keys:\n      account: {a: b}\n", head);
    expect_error(text, 5, 16, "a mapping where a list belongs");
    snprintf(text, sizeof text, "%s    operator: [a]\n", head);
    expect_error(text, 4, 15, "a list where a single value belongs");
    expect_error("profiles:\n  p:\n    lakehouse: ftp://x/y\n", 3, 16,
                 "expected a lakehouse URI");
    expect_error("log: 5\n", 1, 6, "where a section belongs");
    expect_error("ui:\n  keys:\n    restore: R\n    undo: R\n", 4, 11,
                 "ui.keys: 'R' given to both restore and undo: t.yaml:4:11: expected a value "
                 "not already used by 'restore'");
    expect_error("ui:\n  keys:\n    restore: ''\n", 3, 14, "an empty value");
    expect_error("log:\n  level: loud\n", 2, 10, "expected one of error,warn,info,debug");
}

static void test_missing_required_value(void **state)
{
    (void)state;
    expect_error("profiles:\n  prod:\n    parallel: 2\n", 3, 5,
                 "profiles.prod is missing the required key 'lakehouse'");
    expect_error("profiles:\n  prod:\n    lakehouse:\n", 3, 15,
                 "profiles.prod.lakehouse: the required value is missing");
    expect_error("profiles:\n  prod:\n", 2, 3, "missing the required key 'lakehouse'");
}

static void test_every_default_parses(void **state)
{
    (void)state;
    size_t n;
    const struct lr_config_key *keys = lr_config_keys(&n);
    assert_true(n > 25);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(keys[i].doc);
        if (!keys[i].def)
            continue;
        struct cfg_scalar sc;
        if (cfg_parse_scalar(&keys[i], keys[i].def, &sc) != 0)
            fail_msg("default of %s does not parse: %s", keys[i].path, keys[i].def);
        free(sc.s);
        assert_ptr_equal(lr_config_key_find(keys[i].path), &keys[i]);
    }
}

static void test_value_forms(void **state)
{
    (void)state;
    struct cfg_scalar sc;
    const struct lr_config_key *d = lr_config_key_find("profiles.*.webhook.timeout");
    assert_int_equal(cfg_parse_scalar(d, "30d", &sc), 0);
    assert_int_equal(sc.i, 30LL * 86400000);
    assert_int_equal(cfg_parse_scalar(d, "12h", &sc), 0);
    assert_int_equal(sc.i, 12LL * 3600000);
    assert_int_equal(cfg_parse_scalar(d, "500ms", &sc), 0);
    assert_int_equal(sc.i, 500);
    assert_int_equal(cfg_parse_scalar(d, "-1d", &sc), LR_EINVAL);
    assert_int_equal(cfg_parse_scalar(d, "1 d", &sc), LR_EINVAL);
    assert_int_equal(cfg_parse_scalar(d, "99999999999999999999d", &sc), LR_EINVAL);
    const struct lr_config_key *b = lr_config_key_find("profiles.*.risk.high.bytes");
    assert_int_equal(cfg_parse_scalar(b, "10GiB", &sc), 0);
    assert_int_equal(sc.i, 10LL << 30);
    assert_int_equal(cfg_parse_scalar(b, "1.5MB", &sc), 0);
    assert_int_equal(sc.i, 1500000);
    assert_int_equal(cfg_parse_scalar(b, "0x10", &sc), LR_EINVAL);
    assert_int_equal(cfg_parse_scalar(b, "1e3", &sc), LR_EINVAL);
    assert_int_equal(cfg_parse_scalar(b, "0.5", &sc), LR_EINVAL); /* half a byte */
    const struct lr_config_key *pct = lr_config_key_find("profiles.*.risk.high.rows_changed_pct");
    assert_int_equal(cfg_parse_scalar(pct, "2.5", &sc), 0);
    assert_true(sc.d == 2.5);
    assert_int_equal(cfg_parse_scalar(pct, "nan", &sc), LR_EINVAL);
    assert_int_equal(cfg_parse_scalar(pct, "-1", &sc), LR_EINVAL);
    char buf[32];
    cfg_format_duration(7LL * 86400000, buf, sizeof buf);
    assert_string_equal(buf, "1w");
    cfg_format_duration(1500, buf, sizeof buf);
    assert_string_equal(buf, "1500ms");
    cfg_format_size(100LL << 20, buf, sizeof buf);
    assert_string_equal(buf, "100MiB");
    assert_true(lr_config_storage_option_is_secret("azure_storage_account_key"));
    assert_true(lr_config_storage_option_is_secret("azure_storage_sas_token"));
    assert_true(lr_config_storage_option_is_secret("aws_secret_access_key"));
    assert_true(lr_config_storage_option_is_secret("azure_client_secret"));
    assert_false(lr_config_storage_option_is_secret("aws_access_key_id"));
    assert_false(lr_config_storage_option_is_secret("azure_storage_account_name"));
}

static void test_example_documents_every_key(void **state)
{
    (void)state;
    char *path = example_path();
    struct lr_config *cfg = NULL;
    struct lr_error err;
    if (lr_config_load_file(&cfg, path, &err) < 0)
        fail_msg("%s", err.message);
    const struct lr_strvec *present = lr_config_present_keys(cfg);
    size_t n;
    const struct lr_config_key *keys = lr_config_keys(&n);
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < present->count && !found; j++)
            found = strcmp(present->items[j], keys[i].path) == 0;
        if (!found) {
            print_error("key %s is not in %s\n", keys[i].path, path);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
    /* Vice versa: the loader rejects unknown keys, so everything present is in the table. */
    for (size_t j = 0; j < present->count; j++)
        assert_non_null(lr_config_key_find(present->items[j]));
    lr_config_free(cfg);
    free(path);
}

static void test_example_round_trip(void **state)
{
    (void)state;
    char *path = example_path();
    struct lr_settings s;
    struct lr_error err;
    unsetenv("LAKEREWIND_PROD_WEBHOOK_URL");
    if (lr_settings_load(&s, path, NULL, &err) < 0)
        fail_msg("%s", err.message);
    assert_string_equal(s.source, path);
    assert_int_equal(s.warnings.count, 0);
    assert_string_equal(s.profile_name, "dev"); /* default_profile */
    assert_true(s.has_profile);
    assert_int_equal(s.profile_names.count, 3);
    assert_string_equal(s.profile.lakehouse, "./demo-lakehouse");
    assert_int_equal(s.profile.parallel, 2);
    assert_int_equal(s.profile.risk_high.bytes, 10LL << 30); /* default */
    assert_string_equal(s.ui.theme, "default");
    assert_string_equal(lr_config_map_get(&s.ui.keys, "restore"), "R");
    assert_int_equal(s.log.level, LR_LOG_INFO);
    assert_null(s.log.file);
    lr_settings_free(&s);

    if (lr_settings_load(&s, path, "prod", &err) < 0)
        fail_msg("%s", err.message);
    struct lr_profile *p = &s.profile;
    assert_string_equal(s.profile_name, "prod");
    assert_int_equal(p->parallel, 8);
    assert_int_equal(p->tables.count, 5);
    assert_string_equal(p->tables.items[2], "donation");
    assert_true(p->use_env_credentials);
    assert_false(p->read_only);
    assert_string_equal(p->operator_name, "oncall");
    assert_true(p->risk_high.rows_changed_pct == 20.0);
    assert_int_equal(p->risk_high.rows_changed, 1000000);
    assert_int_equal(p->risk_high.time_span_ms, 7LL * 86400000);
    assert_int_equal(p->risk_medium.commits_undone, 10);
    assert_int_equal(p->risk_medium.bytes, 1LL << 30);
    assert_int_equal(p->risk_medium.time_span_ms, 86400000);
    assert_int_equal(p->streaming_tables.count, 1);
    assert_string_equal(p->streaming_tables.items[0], "donation");
    assert_int_equal(p->schema_change_risk, LR_CONFIG_HIGH);
    const struct lr_strvec *rel = lr_config_multimap_get(&p->relationships, "donation");
    assert_non_null(rel);
    assert_int_equal(rel->count, 2);
    assert_string_equal(rel->items[1], "contact");
    const struct lr_strvec *pk = lr_config_multimap_get(&p->primary_keys, "account");
    assert_non_null(pk);
    assert_int_equal(pk->count, 1);
    assert_string_equal(pk->items[0], "accountid");
    assert_string_equal(p->tracking_columns.items[0], "SinkModifiedOn");
    assert_null(p->webhook_url);
    assert_int_equal(p->webhook_timeout_ms, 10000);
    assert_int_equal(p->retention_warn_ms, 7LL * 86400000);
    assert_string_equal(p->metadata_location, "Tables/metadata");
    struct lr_store_options o;
    lr_profile_store_options(p, &o);
    assert_int_equal(o.kv_count, 1);
    assert_string_equal(o.kv[0].key, "azure_storage_account_name");
    assert_string_equal(o.kv[0].value, "contosoprod");
    assert_true(o.use_env);
    /* Every key of the profile has an origin. */
    size_t n;
    lr_config_keys(&n);
    assert_int_equal(s.origin_count, n);
    bool saw_file = false;
    for (size_t i = 0; i < s.origin_count; i++)
        if (strcmp(s.origins[i].path, "profiles.prod.parallel") == 0) {
            assert_string_equal(s.origins[i].value, "8");
            assert_non_null(strstr(s.origins[i].origin, "lakerewind.example.yaml:"));
            saw_file = true;
        }
    assert_true(saw_file);
    lr_settings_free(&s);
    free(path);
}

static void test_profile_selection(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_settings s;
    struct lr_config *one = load_ok("profiles:\n  only:\n    lakehouse: /data/x\n");
    assert_int_equal(lr_config_resolve(one, NULL, &s, &err), 0);
    assert_string_equal(s.profile_name, "only");
    assert_string_equal(s.profile.lakehouse, "/data/x");
    assert_int_equal(s.warnings.count, 0);
    lr_settings_free(&s);
    /* An unknown profile: positioned at `profiles`, nearest suggested, profiles listed. */
    assert_int_equal(lr_config_resolve(one, "onyl", &s, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "no profile 'onyl' (from --profile) (did you mean "
                                        "'only'?): t.yaml:1:1: expected a profile defined "
                                        "under 'profiles': only"));
    lr_settings_free(&s);
    lr_config_free(one);

    struct lr_config *two = load_ok("profiles:\n  a:\n    lakehouse: /a\n"
                                    "  b:\n    lakehouse: /b\n    parallel: 3\n");
    assert_int_equal(lr_config_resolve(two, NULL, &s, &err), 0);
    assert_false(s.has_profile);
    assert_null(s.profile.lakehouse);
    assert_int_equal(s.profile.parallel, 4);
    assert_int_equal(s.warnings.count, 1);
    assert_non_null(strstr(s.warnings.items[0], "defines 2 profiles"));
    lr_settings_free(&s);
    assert_int_equal(lr_config_resolve(two, "b", &s, &err), 0);
    assert_string_equal(s.profile.lakehouse, "/b");
    assert_int_equal(s.profile.parallel, 3);
    assert_false(s.profile.single_writer);
    assert_null(lr_config_map_get(&s.profile.storage, "single_writer"));
    lr_settings_free(&s);
    lr_config_free(two);

    struct lr_config *bad =
        load_ok("default_profile: prd\nprofiles:\n  prod:\n    lakehouse: /p\n");
    assert_int_equal(lr_config_resolve(bad, NULL, &s, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "no profile 'prd' (named by default_profile) (did you "
                                        "mean 'prod'?): t.yaml:1:18: expected"));
    lr_settings_free(&s);
    assert_int_equal(lr_config_resolve(bad, "prod", &s, &err), 0); /* --profile wins */
    lr_settings_free(&s);
    lr_config_free(bad);

    struct lr_config *none = NULL;
    assert_int_equal(lr_config_load_defaults(&none, &err), 0);
    assert_int_equal(lr_config_resolve(none, NULL, &s, &err), 0);
    assert_null(s.source);
    assert_string_equal(s.profile_name, "default");
    assert_string_equal(s.profile.metadata_location, "Tables/metadata");
    assert_string_equal(s.profile.tables_location, "Tables");
    assert_int_equal(s.profile.retention_checkpoint_ms, 30LL * 86400000);
    lr_settings_free(&s);
    assert_int_equal(lr_config_resolve(none, "prod", &s, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "none was found"));
    lr_settings_free(&s);
    lr_config_free(none);
}

static void test_merge_key_shares_profile_settings(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_settings s;
    struct lr_config *cfg = load_ok("profiles:\n"
                                    "  dev: &dev\n"
                                    "    lakehouse: /dev\n"
                                    "    parallel: 6\n"
                                    "    tracking_columns: &tc [SinkModifiedOn]\n"
                                    "  prod:\n"
                                    "    <<: *dev\n"
                                    "    lakehouse: /prod\n");
    assert_int_equal(lr_config_resolve(cfg, "prod", &s, &err), 0);
    assert_string_equal(s.profile.lakehouse, "/prod");
    assert_int_equal(s.profile.parallel, 6);
    assert_string_equal(s.profile.tracking_columns.items[0], "SinkModifiedOn");
    lr_settings_free(&s);
    lr_config_free(cfg);
    expect_error("profiles: &p\n  x: *p\n", 2, 6, "recursive alias");
}

static void test_environment_overrides_secrets(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_settings s;
    struct lr_config *cfg = load_ok("profiles:\n"
                                    "  prod-eu:\n"
                                    "    lakehouse: az://lake/crm\n"
                                    "    storage:\n"
                                    "      azure_storage_account_name: fromfile\n"
                                    "      azure_storage_account_key: filekey123456\n");
    setenv("LAKEREWIND_PROD_EU_STORAGE_AZURE_STORAGE_ACCOUNT_KEY", "envkey-secret-987654", 1);
    setenv("LAKEREWIND_PROD_EU_STORAGE_ENDPOINT", "http://127.0.0.1:10000", 1);
    setenv("LAKEREWIND_PROD_EU_WEBHOOK_URL", "https://hooks.example.invalid/T000/abcdef", 1);
    setenv("LAKEREWIND_PROD_EU_WEBHOK_URL", "typo", 1);
    assert_int_equal(lr_config_resolve(cfg, "prod-eu", &s, &err), 0);
    const struct lr_config_map *st = &s.profile.storage;
    assert_string_equal(lr_config_map_get(st, "azure_storage_account_name"), "fromfile");
    assert_string_equal(lr_config_map_get(st, "azure_storage_account_key"),
                        "envkey-secret-987654");
    assert_string_equal(lr_config_map_get(st, "endpoint"), "http://127.0.0.1:10000");
    assert_string_equal(s.profile.webhook_url, "https://hooks.example.invalid/T000/abcdef");
    /* Secrets are never displayed, and are registered for redaction. */
    bool saw_env_key = false, saw_hook = false;
    for (size_t i = 0; i < s.origin_count; i++) {
        const struct lr_setting_origin *o = &s.origins[i];
        if (o->value)
            assert_null(strstr(o->value, "secret-987654"));
        if (o->value)
            assert_null(strstr(o->value, "filekey123456"));
        if (strcmp(o->path, "profiles.prod-eu.storage.azure_storage_account_key") == 0) {
            assert_string_equal(o->value, "***");
            assert_string_equal(o->origin,
                                "env LAKEREWIND_PROD_EU_STORAGE_AZURE_STORAGE_ACCOUNT_KEY");
            saw_env_key = true;
        }
        if (strcmp(o->path, "profiles.prod-eu.webhook.url") == 0) {
            assert_string_equal(o->value, "***");
            assert_string_equal(o->origin, "env LAKEREWIND_PROD_EU_WEBHOOK_URL");
            saw_hook = true;
        }
    }
    assert_true(saw_env_key && saw_hook);
    char line[200] = "key=envkey-secret-987654 hook=https://hooks.example.invalid/T000/abcdef";
    lr_redact(line, sizeof line);
    assert_string_equal(line, "key=*** hook=***");
    /* The misspelt variable is reported, with the name it probably meant. */
    bool warned = false;
    for (size_t i = 0; i < s.warnings.count; i++)
        warned = warned || (strstr(s.warnings.items[i], "LAKEREWIND_PROD_EU_WEBHOK_URL") &&
                            strstr(s.warnings.items[i], "LAKEREWIND_PROD_EU_WEBHOOK_URL"));
    assert_true(warned);
    lr_settings_free(&s);
    unsetenv("LAKEREWIND_PROD_EU_STORAGE_AZURE_STORAGE_ACCOUNT_KEY");
    unsetenv("LAKEREWIND_PROD_EU_STORAGE_ENDPOINT");
    unsetenv("LAKEREWIND_PROD_EU_WEBHOOK_URL");
    unsetenv("LAKEREWIND_PROD_EU_WEBHOK_URL");
    /* Without the environment the file's value is used. */
    assert_int_equal(lr_config_resolve(cfg, "prod-eu", &s, &err), 0);
    assert_string_equal(lr_config_map_get(&s.profile.storage, "azure_storage_account_key"),
                        "filekey123456");
    assert_int_equal(s.warnings.count, 0);
    lr_settings_free(&s);
    lr_config_free(cfg);
}

static void test_single_writer_reaches_the_store_options(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_settings s;
    struct lr_config *cfg = load_ok("profiles:\n  s3:\n    lakehouse: s3://bucket/lake\n"
                                    "    single_writer: true\n"
                                    "    storage:\n      aws_region: eu-west-1\n");
    assert_int_equal(lr_config_resolve(cfg, NULL, &s, &err), 0);
    assert_true(s.profile.single_writer);
    struct lr_store_options o;
    lr_profile_store_options(&s.profile, &o);
    assert_int_equal(o.kv_count, 2);
    assert_string_equal(o.kv[1].key, "single_writer");
    assert_string_equal(o.kv[1].value, "true");
    lr_settings_free(&s);
    lr_config_free(cfg);
}

static void test_environment_without_profile_uses_default_prefix(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_settings s;
    struct lr_config *cfg = NULL;
    assert_int_equal(lr_config_load_defaults(&cfg, &err), 0);
    setenv("LAKEREWIND_DEFAULT_STORAGE_AWS_REGION", "eu-west-1", 1);
    assert_int_equal(lr_config_resolve(cfg, NULL, &s, &err), 0);
    assert_string_equal(lr_config_map_get(&s.profile.storage, "aws_region"), "eu-west-1");
    /* The map entry shows the merged map; the variable has its own origin line after it. */
    size_t i = 0;
    while (i < s.origin_count && strcmp(s.origins[i].path, "profiles.default.storage") != 0)
        i++;
    assert_true(i + 1 < s.origin_count);
    assert_string_equal(s.origins[i].value, "{aws_region: eu-west-1}");
    assert_string_equal(s.origins[i + 1].path, "profiles.default.storage.aws_region");
    assert_string_equal(s.origins[i + 1].origin, "env LAKEREWIND_DEFAULT_STORAGE_AWS_REGION");
    lr_settings_free(&s);
    unsetenv("LAKEREWIND_DEFAULT_STORAGE_AWS_REGION");
    lr_config_free(cfg);
}

static void test_search_order_follows_xdg(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("config-xdg");
    char *home = lr_test_tmpdir("config-home");
    setenv("XDG_CONFIG_HOME", dir, 1);
    setenv("HOME", home, 1);
    struct lr_strvec paths = {0};
    assert_int_equal(lr_config_search_paths(&paths), 0);
    assert_int_equal(paths.count, 2);
    char *want = lr_asprintf("%s/lakerewind/config.yaml", dir);
    assert_string_equal(paths.items[0], want);
    assert_string_equal(paths.items[1], LR_CONFIG_SYSTEM_PATH);
    lr_strvec_free(&paths);

    struct lr_error err;
    char *found = NULL;
    bool has_system = access(LR_CONFIG_SYSTEM_PATH, F_OK) == 0;
    assert_int_equal(lr_config_find(&found, NULL, &err), 0);
    if (has_system)
        assert_string_equal(found, LR_CONFIG_SYSTEM_PATH);
    else
        assert_null(found); /* built-in defaults */
    free(found);

    lr_test_write_file(want, "log:\n  level: debug\n", 20);
    assert_int_equal(lr_config_find(&found, NULL, &err), 0);
    assert_string_equal(found, want);
    free(found);
    struct lr_settings s;
    assert_int_equal(lr_settings_load(&s, NULL, NULL, &err), 0);
    assert_string_equal(s.source, want);
    assert_int_equal(s.log.level, LR_LOG_DEBUG);
    lr_settings_free(&s);

    /* --config wins, and must exist. */
    char *explicit_path = lr_asprintf("%s/other.yaml", dir);
    lr_test_write_file(explicit_path, "log:\n  level: error\n", 20);
    assert_int_equal(lr_config_find(&found, explicit_path, &err), 0);
    assert_string_equal(found, explicit_path);
    free(found);
    char *missing = lr_asprintf("%s/missing.yaml", dir);
    assert_int_equal(lr_config_find(&found, missing, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, missing));

    /* XDG_CONFIG_HOME unset or relative: $HOME/.config. */
    unsetenv("XDG_CONFIG_HOME");
    assert_int_equal(lr_config_search_paths(&paths), 0);
    char *home_path = lr_asprintf("%s/.config/lakerewind/config.yaml", home);
    assert_string_equal(paths.items[0], home_path);
    lr_strvec_free(&paths);
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    assert_int_equal(lr_config_search_paths(&paths), 0);
    assert_string_equal(paths.items[0], home_path);
    lr_strvec_free(&paths);
    lr_test_write_file(home_path, "ui:\n  ascii: true\n", 18);
    assert_int_equal(lr_settings_load(&s, NULL, NULL, &err), 0);
    assert_true(s.ui.ascii);
    lr_settings_free(&s);
    unsetenv("XDG_CONFIG_HOME");
    free(home_path);
    free(missing);
    free(explicit_path);
    free(want);
    free(dir);
    free(home);
}

static void test_readable_secret_gives_warning(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("config-perm");
    char *path = lr_asprintf("%s/config.yaml", dir);
    const char *secret = "profiles:\n  p:\n    lakehouse: /x\n    storage:\n"
                         "      aws_secret_access_key: abcdefgh12345678\n";
    lr_test_write_file(path, secret, strlen(secret));
    struct lr_error err;
    struct lr_settings s;
    chmod(path, 0644);
    assert_int_equal(lr_settings_load(&s, path, NULL, &err), 0);
    assert_int_equal(s.warnings.count, 1);
    assert_non_null(strstr(s.warnings.items[0], "profiles.p.storage.aws_secret_access_key"));
    assert_non_null(strstr(s.warnings.items[0], "chmod 600"));
    assert_null(strstr(s.warnings.items[0], "abcdefgh12345678"));
    lr_settings_free(&s);
    chmod(path, 0600);
    assert_int_equal(lr_settings_load(&s, path, NULL, &err), 0);
    assert_int_equal(s.warnings.count, 0);
    lr_settings_free(&s);
    /* A readable file without secrets is fine. */
    const char *plain = "profiles:\n  p:\n    lakehouse: /x\n    webhook:\n      url:\n";
    lr_test_write_file(path, plain, strlen(plain));
    chmod(path, 0644);
    assert_int_equal(lr_settings_load(&s, path, NULL, &err), 0);
    assert_int_equal(s.warnings.count, 0);
    lr_settings_free(&s);
    const char *hook = "profiles:\n  p:\n    lakehouse: /x\n    webhook:\n"
                       "      url: https://hooks.example.invalid/x\n";
    lr_test_write_file(path, hook, strlen(hook));
    chmod(path, 0640);
    assert_int_equal(lr_settings_load(&s, path, NULL, &err), 0);
    assert_int_equal(s.warnings.count, 1);
    assert_non_null(strstr(s.warnings.items[0], "profiles.p.webhook.url"));
    lr_settings_free(&s);
    free(path);
    free(dir);
}

static void test_truncated_example_never_crashes(void **state)
{
    (void)state;
    char *path = example_path();
    size_t len = 0;
    char *text = lr_test_read_file(path, &len);
    assert_non_null(text);
    size_t ok = 0, failed = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        struct lr_config *cfg = NULL;
        struct lr_error err;
        lr_error_clear(&err);
        int rc = lr_config_load_text(&cfg, "cut.yaml", text, cut, &err);
        if (rc == 0) {
            struct lr_settings s;
            rc = lr_config_resolve(cfg, NULL, &s, &err);
            if (rc < 0)
                assert_non_null(strstr(err.message, ": expected "));
            lr_settings_free(&s);
            lr_config_free(cfg);
            ok++;
        } else {
            assert_int_equal(rc, LR_EINVAL);
            assert_non_null(strstr(err.message, "cut.yaml:"));
            assert_non_null(strstr(err.message, ": expected "));
            failed++;
        }
    }
    assert_true(ok > 0 && failed > 0);
    /* And a few thousand single-byte corruptions. */
    srand(7);
    for (int i = 0; i < 3000; i++) {
        size_t at = (size_t)rand() % len;
        char saved = text[at];
        text[at] = (char)(rand() % 256);
        struct lr_config *cfg = NULL;
        struct lr_error err;
        if (lr_config_load_text(&cfg, "flip.yaml", text, len, &err) == 0) {
            struct lr_settings s;
            lr_config_resolve(cfg, NULL, &s, &err);
            lr_settings_free(&s);
        }
        lr_config_free(cfg);
        text[at] = saved;
    }
    free(text);
    free(path);
}

static void test_yaml_limits(void **state)
{
    (void)state;
    char deep[400];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    struct lr_config *cfg = NULL;
    struct lr_error err;
    assert_int_equal(lr_config_load_text(&cfg, "t.yaml", deep, n, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "nesting no deeper than 64"));
    /* Aliases share nodes: a "billion laughs" stays small. */
    const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                         "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    struct lr_yaml_doc doc;
    assert_int_equal(lr_yaml_parse(&doc, "l.yaml", laughs, strlen(laughs), &err), 0);
    assert_true(doc.all_count < 100);
    lr_yaml_doc_free(&doc);
    expect_error("\"a\\0b\": 1\n", 1, 1, "NUL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_yaml_names_file_line_column),
        cmocka_unit_test(test_unknown_key_suggests_nearest),
        cmocka_unit_test(test_wrong_type_names_expected_form),
        cmocka_unit_test(test_missing_required_value),
        cmocka_unit_test(test_every_default_parses),
        cmocka_unit_test(test_value_forms),
        cmocka_unit_test(test_example_documents_every_key),
        cmocka_unit_test(test_example_round_trip),
        cmocka_unit_test(test_profile_selection),
        cmocka_unit_test(test_merge_key_shares_profile_settings),
        cmocka_unit_test(test_environment_overrides_secrets),
        cmocka_unit_test(test_single_writer_reaches_the_store_options),
        cmocka_unit_test(test_environment_without_profile_uses_default_prefix),
        cmocka_unit_test(test_search_order_follows_xdg),
        cmocka_unit_test(test_readable_secret_gives_warning),
        cmocka_unit_test(test_truncated_example_never_crashes),
        cmocka_unit_test(test_yaml_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
