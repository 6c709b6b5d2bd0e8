/* banner.c - the mode banner every screen shows: dry run (the default), live (writes allowed),
 * read-only. Its words say the mode; the colour only repeats it. */
#include "../term.h"
#include "widgets.h"

void tui_banner_draw(int y, int w, enum tui_banner_mode mode)
{
    const char *text;
    enum tui_role role;
    switch (mode) {
    case TUI_BANNER_LIVE:
        role = ROLE_BANNER_LIVE;
        text = " ! LIVE - restores write to the lakehouse (each asks for a typed confirmation)";
        break;
    case TUI_BANNER_READ_ONLY:
        role = ROLE_BANNER_READONLY;
        text = " = READ-ONLY - nothing can be written; write actions are hidden";
        break;
    default:
        role = ROLE_BANNER_DRYRUN;
        text = " * DRY RUN - nothing is written; restores stop before the first write (--live)";
        break;
    }
    tui_term_text_pad(y, 0, w, role, text);
}
