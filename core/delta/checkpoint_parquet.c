/* checkpoint_parquet.c - Parquet checkpoint files and sidecars into replay actions.
 *
 * Until the Parquet reader (issue #3, branch parquet-read) is merged, Parquet checkpoints are
 * refused with LR_EUNSUPPORTED; JSON V2 checkpoints and JSON commits work without it. */
#include "delta/internal.h"

int delta_parquet_checkpoint_replay(struct lr_delta_table *t, const char *key,
                                    struct delta_state *s, struct lr_strvec *sidecars,
                                    bool is_sidecar, struct lr_error *err)
{
    (void)t;
    (void)s;
    (void)sidecars;
    (void)is_sidecar;
    return lr_error_set(err, LR_EUNSUPPORTED, "%s: reading Parquet checkpoints needs the Parquet "
                        "reader of issue #3, which this build lacks", key);
}
