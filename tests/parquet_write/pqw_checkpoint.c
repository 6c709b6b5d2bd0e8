/* pqw_checkpoint.c - see pqw_checkpoint.h. */
#include "pqw_checkpoint.h"

/* Declares into *id, keeping the first failure in *rc (later calls then do nothing). */
static void add(struct lr_parquet_writer *w, int *rc, int *id, int parent, const char *name,
                enum lr_parquet_wtype type, bool is_required, enum lr_parquet_wtype elem,
                struct lr_error *err)
{
    if (*rc < 0)
        return;
    int r = lr_parquet_writer_add(w, parent, name, type, is_required, elem, err);
    if (r < 0)
        *rc = r;
    else if (id)
        *id = r;
}

#define F(parent, name, type, req) add(w, &rc, NULL, parent, name, type, req, 0, err)
#define G(id, parent, name, type, req) add(w, &rc, &id, parent, name, type, req, 0, err)
#define M(parent, name) add(w, &rc, NULL, parent, name, LR_PQW_MAP, false, LR_PQW_STRING, err)
#define L(parent, name) add(w, &rc, NULL, parent, name, LR_PQW_LIST, false, LR_PQW_STRING, err)

static int deletion_vector(struct lr_parquet_writer *w, int parent, struct lr_error *err)
{
    int rc = 0;
    int dv = 0;
    G(dv, parent, "deletionVector", LR_PQW_STRUCT, false);
    F(dv, "storageType", LR_PQW_STRING, true);
    F(dv, "pathOrInlineDv", LR_PQW_STRING, true);
    F(dv, "offset", LR_PQW_INT32, false);
    F(dv, "sizeInBytes", LR_PQW_INT32, true);
    F(dv, "cardinality", LR_PQW_INT64, true);
    return rc;
}

int pqw_checkpoint_schema(struct lr_parquet_writer *w, struct lr_error *err)
{
    int rc = 0;
    int txn = 0;
    int a = 0;
    int r = 0;
    int md = 0;
    int fmt = 0;
    int pr = 0;
    G(txn, LR_PQW_ROOT, "txn", LR_PQW_STRUCT, false);
    F(txn, "appId", LR_PQW_STRING, false);
    F(txn, "version", LR_PQW_INT64, true);
    F(txn, "lastUpdated", LR_PQW_INT64, false);

    G(a, LR_PQW_ROOT, "add", LR_PQW_STRUCT, false);
    F(a, "path", LR_PQW_STRING, false);
    M(a, "partitionValues");
    F(a, "size", LR_PQW_INT64, true);
    F(a, "modificationTime", LR_PQW_INT64, true);
    F(a, "dataChange", LR_PQW_BOOLEAN, true);
    F(a, "stats", LR_PQW_STRING, false);
    M(a, "tags");
    if (rc == 0)
        rc = deletion_vector(w, a, err);
    F(a, "baseRowId", LR_PQW_INT64, false);
    F(a, "defaultRowCommitVersion", LR_PQW_INT64, false);

    G(r, LR_PQW_ROOT, "remove", LR_PQW_STRUCT, false);
    F(r, "path", LR_PQW_STRING, false);
    F(r, "deletionTimestamp", LR_PQW_INT64, false);
    F(r, "dataChange", LR_PQW_BOOLEAN, true);
    F(r, "extendedFileMetadata", LR_PQW_BOOLEAN, false);
    M(r, "partitionValues");
    F(r, "size", LR_PQW_INT64, false);
    M(r, "tags");
    if (rc == 0)
        rc = deletion_vector(w, r, err);
    F(r, "baseRowId", LR_PQW_INT64, false);
    F(r, "defaultRowCommitVersion", LR_PQW_INT64, false);

    G(md, LR_PQW_ROOT, "metaData", LR_PQW_STRUCT, false);
    F(md, "id", LR_PQW_STRING, false);
    F(md, "name", LR_PQW_STRING, false);
    F(md, "description", LR_PQW_STRING, false);
    G(fmt, md, "format", LR_PQW_STRUCT, false);
    F(fmt, "provider", LR_PQW_STRING, false);
    M(fmt, "options");
    F(md, "schemaString", LR_PQW_STRING, false);
    L(md, "partitionColumns");
    M(md, "configuration");
    F(md, "createdTime", LR_PQW_INT64, false);

    G(pr, LR_PQW_ROOT, "protocol", LR_PQW_STRUCT, false);
    F(pr, "minReaderVersion", LR_PQW_INT32, true);
    F(pr, "minWriterVersion", LR_PQW_INT32, true);
    L(pr, "readerFeatures");
    L(pr, "writerFeatures");
    return rc;
}
