/* cloud_setup.c - test helper (not a test): create the container or bucket a store URI names,
 * with options from the environment, so ctest fixtures can prepare an emulator.
 * Usage: lr_cloud_setup URI   (exit 0 when created or already there). */
#include <stdio.h>
#include <string.h>

#include "lakerewind/store.h"
#include "lakerewind/sys/store_backend.h"
#include "store/cloud_common.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    struct lr_store_options opts = {NULL, 0, true};
    struct lr_store *s = NULL;
    struct lr_error err;
    int rc = lr_store_open(&s, argv[1], &opts, &err);
    if (rc == 0) {
        if (strcmp(lr_store_backend_name(s), "azure") == 0)
            rc = lr_azure_create_container(s, &err);
        else
            rc = lr_s3_create_bucket(s, &err);
    }
    if (rc < 0)
        fprintf(stderr, "lr_cloud_setup: %s\n", err.message);
    lr_store_close(s);
    return rc < 0 ? 1 : 0;
}
