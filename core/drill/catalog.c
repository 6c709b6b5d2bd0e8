/* catalog.c - the drill scenarios as data (lakerewind-scenarios(7) describes each): the sandbox
 * variation, the story the trainee hears and the expected answer the scorer checks. */
#include <string.h>

#include "lakerewind/drill.h"

#define SIX_TABLES {"account", "contact", "donation", "opportunity", "campaign", "lead"}

static const struct lr_drill_scenario catalog[] = {
    {.id = "bad-sync-three",
     .title = "a bad sync corrupted three tables",
     .story = "At 21:00 last night the nightly Dataverse sync ran with a broken mapping. "
              "Account now has duplicate keys, contact has rows with null keys and opportunity "
              "had every estimated value overwritten. Campaign and lead kept syncing normally "
              "this morning and their new rows are good.",
     .task = "Find the last good checkpoint, review the impact with a dry run, and roll back "
             "exactly the damaged tables.",
     .tables = SIX_TABLES,
     .incident_tables = {"account", "contact", "opportunity"},
     .later_sync_tables = {"campaign", "lead"},
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"account", "contact", "opportunity"},
     .answer = "dry run, then roll back account, contact and opportunity to "
               "before-nightly-sync; leave campaign and lead alone (their later syncs are "
               "good)"},
    {.id = "purge-donation",
     .title = "a purge deleted rows in donation",
     .story = "A clean-up job meant to purge closed donations older than 2019 ran with the "
              "predicate fiscalyear < 2024 and deleted three files of current gifts from "
              "donation. Nothing else was touched; account and campaign synced again since.",
     .task = "Bring the deleted donations back without disturbing the other tables.",
     .tables = SIX_TABLES,
     .incident_tables = {"donation"},
     .later_sync_tables = {"account", "campaign"},
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"donation"},
     .answer = "dry run, then roll back donation alone to before-nightly-sync (the newest "
               "checkpoint before the purge, not the older pre-purge one)"},
    {.id = "schema-change",
     .title = "a deployment changed a schema",
     .story = "Release 43 of the sync mapping was deployed after the before-nightly-sync "
              "checkpoint. Its nightly run overwrote opportunity and its deployment added a "
              "column, deploymentscore, to opportunity's schema. Reports on opportunity are "
              "wrong; account and campaign synced correctly since.",
     .task = "Undo the deployment's damage to opportunity. Read what the dry run says about "
             "the schema before you confirm.",
     .tables = SIX_TABLES,
     .incident_tables = {"opportunity"},
     .schema_change_table = "opportunity",
     .later_sync_tables = {"account", "campaign"},
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"opportunity"},
     .answer = "dry run (it flags the schema change: the restore puts the old schema back and "
               "drops deploymentscore), then roll back opportunity alone to "
               "before-nightly-sync; tell the release owner the column is gone until they "
               "redeploy"},
    {.id = "vacuumed",
     .title = "one table was vacuumed, so only a partial rollback is possible",
     .story = "The bad sync hit account, contact and donation. Before anyone noticed, a "
              "maintenance job ran VACUUM on donation with a zero-hour retention: the data "
              "files donation had at the last good checkpoint are gone.",
     .task = "Recover what can be recovered, and leave the audit trail showing a run that "
             "did exactly what was planned.",
     .tables = SIX_TABLES,
     .incident_tables = {"account", "contact", "donation"},
     .later_sync_tables = {"campaign"},
     .vacuumed_table = "donation",
     .move = LR_DRILL_PARTIAL,
     .checkpoint = "before-nightly-sync",
     .scope = {"account", "contact"},
     .answer = "dry run (donation is blocked: its files were vacuumed; a run that keeps it in "
               "scope ends partial with donation failed), then roll back account "
               "and contact to before-nightly-sync; donation must be reloaded from the source "
               "system"},
    {.id = "expired-checkpoint",
     .title = "the checkpoint you want has expired",
     .story = "The bad sync ran two nights ago and was only noticed today: account has "
              "duplicates and contact null keys. The on-call note says to restore "
              "before-nightly-sync, but that checkpoint was taken with a one-day retention and "
              "the retention job has since deactivated every expired checkpoint.",
     .task = "Pick the newest checkpoint that is still valid and before the incident, and roll "
             "back the damaged tables to it.",
     .tables = SIX_TABLES,
     .incident_tables = {"account", "contact"},
     .anchor_shift_days = 2,
     .expire_checkpoints = true,
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "@daily-last",
     .scope = {"account", "contact"},
     .answer = "see in `checkpoints list` that before-nightly-sync is off (expired); roll back "
               "account and contact to the newest active checkpoint before the incident (the "
               "last Daily one) after a dry run, then re-run the syncs after it"},
    {.id = "writer-running",
     .title = "a writer is still running during the incident",
     .story = "The sync job that wrote duplicates into account is still running: it commits "
              "another batch every few minutes and nobody has stopped it yet. Campaign synced "
              "correctly this morning.",
     .task = "Roll account back to the last good checkpoint. Watch what happens between your "
             "dry run and your execution.",
     .tables = SIX_TABLES,
     .incident_tables = {"account"},
     .later_sync_tables = {"campaign"},
     .writer = true,
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"account"},
     .answer = "dry run; the writer commits again, so the execution with the old phrase is "
               "refused (the plan changed); make sure the writer is stopped, run a fresh dry "
               "run that shows the new commit, then execute with the new phrase"},
    {.id = "wrong-checkpoint",
     .title = "the wrong checkpoint was restored and must be undone",
     .story = "A colleague answered last night's bad sync (account and contact) by rolling "
              "every table back to pre-deploy-release-42, three days too far: days of good "
              "syncs vanished from every table.",
     .task = "Put the lakehouse back as it was before that run, then do the rollback that "
             "should have been done.",
     .tables = SIX_TABLES,
     .incident_tables = {"account", "contact"},
     .wrong_checkpoint = "pre-deploy-release-42",
     .move = LR_DRILL_UNDO_THEN_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"account", "contact"},
     .answer = "find the wrong run with `runs`, undo it (dry run, then execute with its "
               "phrase), then dry-run and roll back account and contact to "
               "before-nightly-sync"},
    {.id = "related-tables",
     .title = "only one table should be rolled back, but it has related tables",
     .story = "The bad sync wrote contacts with null keys. The lakehouse's configuration "
              "(lakerewind.yaml in the sandbox) says donation and opportunity reference "
              "contact and account. Account synced good data again this morning.",
     .task = "Use the sandbox's configuration (--config) so the impact shows the related "
             "tables, decide the scope, and roll back.",
     .tables = SIX_TABLES,
     .incident_tables = {"contact"},
     .later_sync_tables = {"account", "campaign"},
     .relationships = true,
     .move = LR_DRILL_ROLLBACK,
     .checkpoint = "before-nightly-sync",
     .scope = {"contact"},
     .answer = "dry run with --config: the related tables are named but none of them changed "
               "since the checkpoint in a way that depends on the bad contacts, so roll back "
               "contact alone; rolling back account would throw away this morning's good sync"},
    {.id = "interrupted",
     .title = "an interrupted rollback must be resumed",
     .story = "Last night's rollback of account, contact and donation to before-nightly-sync "
              "was cut short when the on-call laptop lost power: one table was restored, the "
              "others were not, and the run was never finished.",
     .task = "Finish the interrupted run.",
     .tables = SIX_TABLES,
     .incident_tables = {"account", "contact", "donation"},
     .interrupted = true,
     .move = LR_DRILL_RESUME,
     .checkpoint = "before-nightly-sync",
     .scope = {"account", "contact", "donation"},
     .answer = "find the interrupted run (`runs`; rollback announces it), resume it with "
               "`rollback --resume RUN_ID` (its own phrase) rather than starting a new "
               "rollback, and check that every table validated"},
    {.id = "expiring-retention",
     .title = "an expiring checkpoint needs its retention fixed",
     .story = "Release 43 deploys tomorrow. Its pre-deployment checkpoint, "
              "pre-deploy-release-43, was taken this morning with a one-day retention: it "
              "will expire before the release's two-week verification window ends. There is "
              "no incident: nothing must be rolled back.",
     .task = "Make sure a checkpoint of today's state survives for at least 14 days (and no "
             "longer than the tables keep their log, 30 days).",
     .tables = SIX_TABLES,
     .incident_tables = {NULL},
     .expiring_checkpoint = "pre-deploy-release-43",
     .move = LR_DRILL_RETAIN,
     .checkpoint = "pre-deploy-release-43",
     .answer = "lakerewind has no command to extend an existing checkpoint's retention: take "
               "a new PreDeployment checkpoint of every table (same versions as "
               "pre-deploy-release-43) with --retention-days between 14 and 30, and do not "
               "roll anything back"},
};

const struct lr_drill_scenario *lr_drill_catalog(size_t *count)
{
    *count = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const struct lr_drill_scenario *lr_drill_find(const char *id)
{
    for (size_t i = 0; id && i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}

const char *lr_drill_move_name(enum lr_drill_move m)
{
    switch (m) {
    case LR_DRILL_ROLLBACK: return "rollback";
    case LR_DRILL_PARTIAL: return "partial rollback";
    case LR_DRILL_UNDO_THEN_ROLLBACK: return "undo, then rollback";
    case LR_DRILL_RESUME: return "resume";
    case LR_DRILL_RETAIN: return "retain (new checkpoint)";
    }
    return "?";
}
