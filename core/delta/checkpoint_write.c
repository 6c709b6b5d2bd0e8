/* checkpoint_write.c - the classic single-file Parquet checkpoint and _last_checkpoint.
 *
 * Needs the Parquet writer of issue #3 (branch parquet-write); until it is merged this build
 * cannot write checkpoints and says so (readers replay the JSON commits, so tables stay valid). */
#include "delta/internal.h"

int lr_delta_checkpoint_write(struct lr_delta_table *t, const struct lr_delta_snapshot *snap,
                              struct lr_error *err)
{
    (void)t;
    return lr_error_set(err, LR_EUNSUPPORTED, "cannot write the checkpoint of version %lld: "
                        "this build lacks the Parquet writer of issue #3",
                        (long long)snap->version);
}
