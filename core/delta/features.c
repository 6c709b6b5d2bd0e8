/* features.c - protocol parsing and the table-feature gate (PROTOCOL.md "Table Features").
 *
 * Reading: we understand column mapping (we never decode data, and show logical names from the
 * schema), deletion vectors (identity + cardinality), V2 checkpoints, and the type features
 * whose only effect is on data values. Writing a RESTORE: the writer features whose rules a
 * restore commit can honour (see delta-protocol-notes.md 6.4). Anything else is refused. */
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

static const char *const READER_OK[] = {
    "columnMapping", "deletionVectors", "v2Checkpoint", "timestampNtz", "vacuumProtocolCheck",
    "typeWidening", "typeWidening-preview", "variantType", "variantType-preview",
    "variantShredding-preview", "variantShredding", "geospatial", NULL,
};

static const char *const WRITER_OK[] = {
    "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
    "columnMapping", "identityColumns", "deletionVectors", "domainMetadata", "v2Checkpoint",
    "timestampNtz", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview",
    "variantType", "variantType-preview", "variantShredding-preview", "variantShredding",
    "geospatial", "allowColumnDefaults",
    "inCommitTimestamp", "clustering", "liquid", "checkpointProtection", "icebergCompatV1",
    "icebergCompatV2", "icebergWriterCompatV1", "rowTracking", NULL,
};

/* Writer features we read but cannot honour in a commit of our own. */
static const char *const WRITER_REFUSED_HINT[] = {
    "catalogManaged", "the catalog must ratify commits; restore it through the catalog",
    "catalogOwned-preview", "the catalog must ratify commits; restore it through the catalog",
    "coordinatedCommits-preview", "a commit coordinator owns commits; use its engine",
    NULL, NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

void lr_delta_protocol_free(struct lr_delta_protocol *p)
{
    if (!p)
        return;
    lr_strvec_free(&p->reader_features);
    lr_strvec_free(&p->writer_features);
    memset(p, 0, sizeof *p);
}

static int strings(struct lr_strvec *v, json_t *arr, const char *what, struct lr_error *err)
{
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return lr_error_set(err, LR_ECORRUPT, "protocol.%s is not an array", what);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        if (!json_is_string(x))
            return lr_error_set(err, LR_ECORRUPT, "protocol.%s holds a non-string", what);
        if (lr_strvec_push(v, json_string_value(x)) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

int delta_protocol_from_json(struct lr_delta_protocol *out, json_t *protocol,
                             struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->min_reader_version = (int)delta_json_int(protocol, "minReaderVersion", 1);
    out->min_writer_version = (int)delta_json_int(protocol, "minWriterVersion", 2);
    int rc = strings(&out->reader_features, json_object_get(protocol, "readerFeatures"),
                     "readerFeatures", err);
    if (rc == 0)
        rc = strings(&out->writer_features, json_object_get(protocol, "writerFeatures"),
                     "writerFeatures", err);
    if (rc < 0)
        lr_delta_protocol_free(out);
    return rc;
}

static bool vec_has(const struct lr_strvec *v, const char *name)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i], name) == 0)
            return true;
    return false;
}

bool lr_delta_protocol_has(const struct lr_delta_protocol *p, const char *feature, bool reader)
{
    if (reader) {
        if (p->min_reader_version >= 3)
            return vec_has(&p->reader_features, feature);
        return p->min_reader_version >= 2 && strcmp(feature, "columnMapping") == 0;
    }
    if (p->min_writer_version >= 7)
        return vec_has(&p->writer_features, feature);
    static const struct { const char *name; int version; } legacy[] = {
        {"appendOnly", 2}, {"invariants", 2}, {"checkConstraints", 3}, {"changeDataFeed", 4},
        {"generatedColumns", 4}, {"columnMapping", 5}, {"identityColumns", 6},
    };
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
        if (strcmp(legacy[i].name, feature) == 0)
            return p->min_writer_version >= legacy[i].version;
    return false;
}

int lr_delta_protocol_check_read(const struct lr_delta_protocol *p, struct lr_error *err)
{
    if (p->min_reader_version > 3 || p->min_reader_version < 1)
        return lr_error_set(err, LR_EUNSUPPORTED, "table needs reader version %d; lakerewind "
                            "reads versions 1-3: upgrade lakerewind", p->min_reader_version);
    if (p->min_reader_version == 3) {
        for (size_t i = 0; i < p->reader_features.count; i++)
            if (!in_list(READER_OK, p->reader_features.items[i]))
                return lr_error_set(err, LR_EUNSUPPORTED, "table uses reader feature \"%s\", "
                                    "which lakerewind does not understand: it refuses to read "
                                    "the table rather than misread it (use Spark or upgrade "
                                    "lakerewind)", p->reader_features.items[i]);
    }
    return 0;
}

int lr_delta_protocol_check_write(const struct lr_delta_protocol *p, struct lr_error *err)
{
    int rc = lr_delta_protocol_check_read(p, err);
    if (rc < 0)
        return rc;
    if (p->min_writer_version > 7 || p->min_writer_version < 1)
        return lr_error_set(err, LR_EUNSUPPORTED, "table needs writer version %d; lakerewind "
                            "writes versions 1-7", p->min_writer_version);
    if (p->min_writer_version == 7) {
        for (size_t i = 0; i < p->writer_features.count; i++) {
            const char *f = p->writer_features.items[i];
            if (in_list(WRITER_OK, f))
                continue;
            for (size_t k = 0; WRITER_REFUSED_HINT[k]; k += 2)
                if (strcmp(WRITER_REFUSED_HINT[k], f) == 0)
                    return lr_error_set(err, LR_EUNSUPPORTED, "table uses writer feature \"%s\""
                                        ": %s", f, WRITER_REFUSED_HINT[k + 1]);
            return lr_error_set(err, LR_EUNSUPPORTED, "table uses writer feature \"%s\", which "
                                "lakerewind cannot honour in a commit: restore it with Spark",
                                f);
        }
    }
    return 0;
}
