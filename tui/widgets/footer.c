/* footer.c - the key bar, generated from the same key tables that dispatch keys. */
#include <stdio.h>
#include <string.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

void tui_footer_draw(int y, int w, const struct tui_keymap *const *maps, size_t nmaps)
{
    tui_term_fill(y, 0, w, ROLE_FOOTER);
    int x = 1;
    enum tui_action shown[TUI_ACT_COUNT] = {0};
    for (size_t m = 0; m < nmaps; m++) {
        for (size_t i = 0; i < maps[m]->count; i++) {
            const struct tui_key_binding *b = &maps[m]->items[i];
            if (b->is_hidden || !b->label || shown[b->action])
                continue;
            char key[32];
            tui_key_name(b->key, key, sizeof key);
            int need = tui_text_width(key) + 1 + tui_text_width(b->label);
            if (x + need > w - 1)
                return;
            shown[b->action] = 1;
            x += tui_term_text(y, x, need, ROLE_FOOTER_KEY, key);
            x += 1;
            x += tui_term_text(y, x, w - x, ROLE_FOOTER, b->label);
            x += 2;
        }
    }
}
