/* keys.c - the one table of configuration keys (see config.h), and how each type is written.
 * Owns: the key list, defaults, documentation lines and value forms. Adding a key means one
 * line here, a field in struct lr_profile / lr_settings, and the key in
 * config/lakerewind.example.yaml (a test checks the last). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/internal.h"

#define NOLIM 0, 0
#define P(path, type, req, sec, def, choices, min, max, field, doc)                             \
    {"profiles.*." path, type, req, sec, def, choices, min, max, doc, LR_CFG_SCOPE_PROFILE,     \
     offsetof(struct lr_profile, field)}
#define S(path, type, def, choices, field, doc)                                                 \
    {path, type, false, false, def, choices, 0, 0, doc, LR_CFG_SCOPE_SETTINGS,                 \
     offsetof(struct lr_settings, field)}

static const struct lr_config_key keys[] = {
    S("default_profile", LR_CFG_STRING, NULL, NULL, default_profile,
      "profile used when --profile is not given"),
    P("lakehouse", LR_CFG_URI, true, false, NULL, NULL, 0, 0, lakehouse,
      "lakehouse root: a folder (relative to the current directory), file:///path, abfss://, "
      "az://, https:// or s3:// URI"),
    P("storage", LR_CFG_MAP, false, false, NULL, NULL, 0, 0, storage,
      "store options by their object_store names (azure_storage_account_name, aws_region, "
      "endpoint, allow_http, ...); secrets better come from the environment"),
    P("use_env_credentials", LR_CFG_BOOL, false, false, "true", NULL, 0, 0, use_env_credentials,
      "also read the standard AZURE_* and AWS_* environment variables"),
    P("metadata_location", LR_CFG_STRING, false, false, "Tables/metadata", NULL, 0, 0,
      metadata_location, "where the five metadata tables live, relative to the lakehouse"),
    P("tables_location", LR_CFG_STRING, false, false, "Tables", NULL, 0, 0, tables_location,
      "where tables are discovered, relative to the lakehouse"),
    P("tables", LR_CFG_LIST, false, false, NULL, NULL, 0, 0, tables,
      "explicit list of tables (name or schema/name); empty: discover them"),
    P("read_only", LR_CFG_BOOL, false, false, "false", NULL, 0, 0, read_only,
      "never write to this lakehouse; hide every write action"),
    P("single_writer", LR_CFG_BOOL, false, false, "false", NULL, 0, 0, single_writer,
      "promise that lakerewind is the only writer (lets stores without conditional create "
      "commit)"),
    P("operator", LR_CFG_STRING, false, false, NULL, NULL, 0, 0, operator_name,
      "name recorded in audit rows when no Entra or AWS identity is known"),
    P("parallel", LR_CFG_INT, false, false, "4", NULL, 1, 64, parallel,
      "tables restored at once"),
    P("risk.high.rows_changed_pct", LR_CFG_NUMBER, false, false, "20", NULL, 0, 1000000,
      risk_high.rows_changed_pct, "High risk from this % of the table's rows changed (0: never)"),
    P("risk.high.rows_changed", LR_CFG_INT, false, false, "1000000", NULL, 0, 1000000000000,
      risk_high.rows_changed, "High risk from this many rows changed (0: never)"),
    P("risk.high.commits_undone", LR_CFG_INT, false, false, "50", NULL, 0, 1000000000,
      risk_high.commits_undone, "High risk from this many commits undone (0: never)"),
    P("risk.high.bytes", LR_CFG_SIZE, false, false, "10GiB", NULL, 0, 0, risk_high.bytes,
      "High risk from this many bytes added back or removed (0: never)"),
    P("risk.high.time_span", LR_CFG_DURATION, false, false, "7d", NULL, 0, 0,
      risk_high.time_span_ms,
      "High risk when the undone commits span this long, first to last (0: never)"),
    P("risk.medium.rows_changed_pct", LR_CFG_NUMBER, false, false, "5", NULL, 0, 1000000,
      risk_medium.rows_changed_pct,
      "Medium risk from this % of the table's rows changed (0: never)"),
    P("risk.medium.rows_changed", LR_CFG_INT, false, false, "10000", NULL, 0, 1000000000000,
      risk_medium.rows_changed, "Medium risk from this many rows changed (0: never)"),
    P("risk.medium.commits_undone", LR_CFG_INT, false, false, "10", NULL, 0, 1000000000,
      risk_medium.commits_undone, "Medium risk from this many commits undone (0: never)"),
    P("risk.medium.bytes", LR_CFG_SIZE, false, false, "1GiB", NULL, 0, 0, risk_medium.bytes,
      "Medium risk from this many bytes added back or removed (0: never)"),
    P("risk.medium.time_span", LR_CFG_DURATION, false, false, "1d", NULL, 0, 0,
      risk_medium.time_span_ms,
      "Medium risk when the undone commits span this long, first to last (0: never)"),
    P("risk.schema_change", LR_CFG_ENUM, false, false, "high", "low|medium|high", 0, 0,
      schema_change_risk, "risk of a rollback that changes a table's schema"),
    P("relationships", LR_CFG_MAP_LIST, false, false, NULL, NULL, 0, 0, relationships,
      "table -> related tables; a warning names those left out of a rollback's scope"),
    P("primary_keys", LR_CFG_MAP_LIST, false, false, NULL, NULL, 0, 0, primary_keys,
      "table -> primary-key columns, checked for nulls after a rollback"),
    P("streaming_tables", LR_CFG_LIST, false, false, NULL, NULL, 0, 0, streaming_tables,
      "tables read by streaming or change-data-feed consumers (they will read restored rows "
      "again): at least Medium risk"),
    P("tracking_columns", LR_CFG_LIST, false, false, NULL, NULL, 0, 0, tracking_columns,
      "timestamp columns that must not be newer than the checkpoint after a rollback"),
    P("webhook.url", LR_CFG_STRING, false, true, NULL, NULL, 0, 0, webhook_url,
      "Teams/Slack-compatible incoming webhook for run notifications (secret)"),
    P("webhook.timeout", LR_CFG_DURATION, false, false, "10s", NULL, 0, 0, webhook_timeout_ms,
      "give up delivering a notification after this long"),
    P("retention.checkpoint", LR_CFG_DURATION, false, false, "30d", NULL, 0, 0,
      retention_checkpoint_ms, "retention of a new checkpoint when none is given"),
    P("retention.post_rollback", LR_CFG_DURATION, false, false, "30d", NULL, 0, 0,
      retention_post_rollback_ms, "retention of the PostRollback checkpoint a rollback writes"),
    P("retention.expiry_warning", LR_CFG_DURATION, false, false, "7d", NULL, 0, 0,
      retention_warn_ms, "warn this long before a checkpoint expires or leaves table retention"),
    S("ui.theme", LR_CFG_STRING, "default", NULL, ui.theme,
      "console theme: default, high-contrast, colorblind, monochrome, or a file path"),
    S("ui.keys", LR_CFG_MAP, NULL,
      "command|filter|open|toggle|detail|restore|undo|help|back|quit", ui.keys,
      "key bindings: action -> key (a character, Enter, Esc, Tab, Space, F1-F12, C-x)"),
    S("ui.mouse", LR_CFG_BOOL, "false", NULL, ui.mouse, "accept mouse clicks and wheel"),
    S("ui.ascii", LR_CFG_BOOL, "false", NULL, ui.ascii, "ASCII line drawing instead of UTF-8"),
    S("log.file", LR_CFG_STRING, NULL, NULL, log.file,
      "debug log file (secrets redacted); --log overrides it"),
    S("log.level", LR_CFG_ENUM, "info", "error|warn|info|debug", log.level,
      "debug log verbosity"),
};

const struct lr_config_key *lr_config_keys(size_t *count)
{
    *count = sizeof keys / sizeof keys[0];
    return keys;
}

const struct lr_config_key *lr_config_key_find(const char *pattern)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].path, pattern) == 0)
            return &keys[i];
    return NULL;
}

const char *lr_config_key_form(const struct lr_config_key *k, char *buf, size_t cap)
{
    switch (k->type) {
    case LR_CFG_STRING:
        return "a text value";
    case LR_CFG_URI:
        return "a lakehouse URI: a folder, file:///path, "
               "abfss://container@account.dfs.core.windows.net/path, az://container/path, "
               "https://account.blob.core.windows.net/container/path or s3://bucket/path";
    case LR_CFG_INT:
        if (k->min != k->max)
            snprintf(buf, cap, "a whole number from %lld to %lld", (long long)k->min,
                     (long long)k->max);
        else
            snprintf(buf, cap, "a whole number");
        return buf;
    case LR_CFG_NUMBER:
        if (k->min != k->max)
            snprintf(buf, cap, "a number from %lld to %lld", (long long)k->min,
                     (long long)k->max);
        else
            snprintf(buf, cap, "a number");
        return buf;
    case LR_CFG_BOOL:
        return "true or false";
    case LR_CFG_DURATION:
        return "a duration: a whole number and a unit (ms, s, m, h, d, w), such as 30d, 12h or "
               "15m";
    case LR_CFG_SIZE:
        return "a size: a number of bytes with an optional unit (KB, MB, GB, TB, KiB, MiB, GiB, "
               "TiB), such as 500MB or 10GiB";
    case LR_CFG_ENUM:
        snprintf(buf, cap, "one of %s", k->choices);
        for (char *p = buf; *p; p++)
            if (*p == '|')
                *p = ',';
        return buf;
    case LR_CFG_LIST:
        return "a list of names, such as [a, b] or '- a' lines";
    case LR_CFG_MAP:
        if (k->choices) {
            snprintf(buf, cap, "a mapping of 'name: value' lines, names among %s", k->choices);
            for (char *p = buf; *p; p++)
                if (*p == '|')
                    *p = ',';
            return buf;
        }
        return "a mapping of 'name: value' lines";
    case LR_CFG_MAP_LIST:
        return "a mapping of 'name: [a, b]' lines (a single name is a one-item list)";
    }
    return "a value";
}

bool lr_config_storage_option_is_secret(const char *name)
{
    static const char *marks[] = {"secret", "token", "password", "sas", "signature"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strstr(name, marks[i]))
            return true;
    return lr_str_ends_with(name, "_key");
}
