/* guide.c - the guided walkthrough's panel (`lakerewind --guided`, or w in the console): one
 * step per screen of a recovery, explaining what the operator sees and what to press next --
 * what a checkpoint is, why the selected table has its risk (from the impact's own reasons),
 * what RESTORE will and will not do, why a dry run comes first -- up to the summary of what
 * the dry run would have done. Screens with something of their own to say (impact, result)
 * give it through their `guide` op; the fixed texts for the others live here. The walkthrough
 * keeps the console in dry-run mode (app.c), so following it never writes a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "sanitize.h"
#include "term.h"
#include "widgets/textwrap.h"

struct step {
    const char *screen; /* the screen's name */
    int number;         /* 0: no step number (a side screen) */
    const char *title;
    const char *text;
    const char *compact; /* the short form for the panel under the screen */
};

#define STEPS 6

static const struct step steps[] = {
    {"overview", 1, "the lakehouse",
     "Each row is a Delta table of the lakehouse: its current version, the last write "
     "(when, which operation), rows, size, and whether its history still reaches the oldest "
     "checkpoint (RETENTION).\n\nSomething went wrong -- a bad sync wrote the wrong rows? You "
     "will roll some tables back to a checkpoint taken before it.\n\nNext: press c for the "
     "checkpoints.",
     "Each row is a Delta table: version, last write, rows, size, retention. A bad sync wrote "
     "wrong rows? You will roll tables back to a checkpoint. Next: c for the checkpoints."},
    {"checkpoints", 2, "what a checkpoint is",
     "A checkpoint is a name for a moment of the lakehouse: for every table in it, the Delta "
     "version it was at (recorded in the metadata table CheckpointHistory). Rolling back to a "
     "checkpoint brings each table back to that version's content.\n\nPick the last good "
     "one: created before the incident, Active and Validated. PrePurge and PreDeployment "
     "checkpoints are taken before risky jobs; Daily ones every night.\n\nNext: select it "
     "and press Enter to see the impact (nothing is written).",
     "A checkpoint names a moment: for every table, the Delta version it was at. Rolling back "
     "brings each table back to it. Pick the last good one before the incident (Active, "
     "Validated). Next: Enter shows the impact."},
    {"impact", 3, "the impact", NULL, NULL},
    {"confirm", 4, "the typed confirmation",
     "The phrase names exactly what will happen: the number of tables, the checkpoint and a "
     "digest of the plan you just reviewed (High risk asks for more). If any table changes "
     "before the run, the digest no longer matches and nothing runs.\n\nThis walkthrough is "
     "in dry-run mode: the whole restore runs -- snapshots, every RESTORE commit built and "
     "checked, the result validated -- but NOTHING is written. A dry run first shows what "
     "would fail (a conflict, a missing file, a count that does not match) while it is still "
     "free to fix.\n\nNext: type the phrase and press Enter (Esc cancels).",
     "The phrase names the tables, the checkpoint and a digest of the plan. Dry-run mode: "
     "every step runs, NOTHING is written -- failures show up while they are free to fix. "
     "Next: type the phrase, Enter."},
    {"progress", 5, "the dry run, step by step",
     "Every table goes through the steps of a real restore: snapshotting (its state read "
     "again), restoring (the RESTORE commit built and checked against the table's current "
     "version -- here never written; (vN) is the version it would take), validating (record "
     "count, file set and schema of the result against the checkpoint), done.\n\nThe log "
     "below shows each step as the workflow reports it.",
     "Each table: snapshotting, restoring (commit built and checked, never written; (vN) = "
     "the version it would take), validating (count, files, schema vs the checkpoint), done."},
    {"result", 6, "what would have happened", NULL, NULL},
    {"recover", 0, "an interrupted run",
     "A run that did not finish leaves its journal without an end. Resume restores the tables "
     "it had not restored; undo puts every table back as it was before it. Both show their "
     "plan and ask for a typed phrase.",
     "Resume finishes an interrupted run; undo reverses it. Both ask for a phrase."},
    {"log", 0, "the log", "Every event of this session. Esc goes back to the walkthrough.",
     "Every event of this session. Esc goes back."},
    {"help", 0, "keys", "Every key of the screen below. Esc goes back to the walkthrough.",
     "Every key of the screen below. Esc goes back."},
};

static const struct step *step_for(const char *name)
{
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (!strcmp(steps[i].screen, name))
            return &steps[i];
    return NULL;
}

/* Wrapped lines of `text` into rows y..y+h-1 at x, width w; the last row that cannot hold the
 * rest ends with an ellipsis. Returns the next free row. */
static int wrap(const char *text, int y, int x, int w, int h, enum tui_role role)
{
    const char *p = text;
    int row = 0;
    while (*p && row < h) {
        size_t skip = 0;
        size_t n = tui_wrap_next(p, w, &skip);
        if (n == 0 && skip == 0)
            break;
        char part[512];
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part - 1 ? n : sizeof part - 1), p);
        p += n + skip;
        if (row == h - 1 && *p) {
            /* no room for the rest: say so rather than cut a sentence silently */
            size_t len = strlen(part);
            const char *more = tui_term_glyph(GLYPH_ELLIPSIS);
            while (len > 0 && tui_text_width(part) + 1 > w)
                part[--len] = '\0';
            snprintf(part + len, sizeof part - len, "%s", more);
        }
        tui_term_text(y + row, x, w, role, part);
        row++;
    }
    return y + row;
}

void tui_guide_draw(struct tui_app *app, const struct tui_screen_ops *ops, void *state,
                    const struct tui_screen_ops *top_ops, struct tui_rect r, bool is_compact)
{
    /* A dialog on top (the typed confirmation) is the step the operator is at. */
    const struct tui_screen_ops *shown = top_ops && top_ops->guide == NULL &&
                                                 step_for(top_ops->name)
                                             ? top_ops
                                             : ops;
    const struct step *st = step_for(shown->name);
    char dynamic[4096];
    dynamic[0] = '\0';
    if (shown == ops && ops->guide)
        ops->guide(app, state, is_compact, dynamic, sizeof dynamic);
    const char *text = dynamic[0] ? dynamic
                       : st       ? (is_compact ? st->compact : st->text)
                                  : "Esc goes back to the walkthrough.";
    char title[160];
    if (st && st->number)
        snprintf(title, sizeof title, " Guide %d/%d: %s ", st->number, STEPS, st->title);
    else
        snprintf(title, sizeof title, " Guide: %s ", st ? st->title : "another screen");
    tui_term_box(r.y, r.x, r.h, r.w, ROLE_BORDER);
    tui_term_text(r.y, r.x + 2, r.w - 4, ROLE_TITLE, title);
    int inner_w = r.w - 4;
    int y = r.y + 1;
    int end = r.y + r.h - 2;
    /* Paragraph by paragraph: the sanitiser shows a newline as "\n", so each line of the text
     * is sanitised on its own (the text may carry table names and reasons from the lake). */
    for (const char *p = text ? text : ""; *p && y < end;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *clean = tui_sanitize(p, len, tui_term_is_ascii());
        if (len == 0)
            y++; /* a blank line between paragraphs */
        else
            y = wrap(clean ? clean : "", y, r.x + 2, inner_w, end - y, ROLE_NORMAL);
        free(clean);
        p += len + (nl ? 1 : 0);
    }
    tui_term_text(r.y + r.h - 2, r.x + 2, inner_w, ROLE_DIM,
                  "nothing is written; w ends the guide");
}
