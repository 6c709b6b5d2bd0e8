/* fuzz_config.c - libFuzzer entry point for the configuration loader: YAML parsing, key
 * validation and resolution of every profile of whatever bytes come in. Any return code is
 * fine; crashes, leaks and sanitizer reports are not. Built with -DLR_BUILD_FUZZ=ON (clang):
 *   ./build/tests/fuzz_config -max_len=8192 config/ */
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lr_config *cfg = NULL;
    struct lr_error err;
    if (lr_config_load_text(&cfg, "fuzz.yaml", (const char *)data, size, &err) < 0)
        return 0;
    struct lr_settings s;
    lr_config_resolve(cfg, NULL, &s, &err);
    lr_settings_free(&s);
    const char *names[] = {"dev", "prod", "a"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lr_config_resolve(cfg, names[i], &s, &err);
        lr_settings_free(&s);
    }
    lr_config_free(cfg);
    return 0;
}
