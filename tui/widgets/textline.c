/* textline.c - one line of text from the lake drawn inside a screen's body: sanitised, clipped
 * to the body's width, skipped once the body is full. */
#include <stdlib.h>

#include "../sanitize.h"
#include "../term.h"
#include "widgets.h"

int tui_body_line(struct tui_rect body, int y, enum tui_role role, const char *raw)
{
    if (y >= body.y + body.h)
        return y;
    char *clean = tui_sanitize_str(raw, false);
    tui_term_text(y, body.x + 1, body.w - 2, role, clean ? clean : "");
    free(clean);
    return y + 1;
}
