/* commands.h - prototypes of the subcommand entry points listed in commands.c. */
#ifndef TUI_COMMANDS_H
#define TUI_COMMANDS_H

#include "cli/cli.h"

int tui_cmd_config(int argc, char **argv, const struct tui_global *g);
int tui_cmd_version(int argc, char **argv, const struct tui_global *g);
int tui_cmd_table(int argc, char **argv, const struct tui_global *g);
int tui_cmd_demo(int argc, char **argv, const struct tui_global *g);
int tui_cmd_inspect(int argc, char **argv, const struct tui_global *g);
int tui_cmd_checkpoints(int argc, char **argv, const struct tui_global *g);
int tui_cmd_rollback(int argc, char **argv, const struct tui_global *g);
int tui_cmd_undo(int argc, char **argv, const struct tui_global *g);
int tui_cmd_runs(int argc, char **argv, const struct tui_global *g);
int tui_cmd_drill(int argc, char **argv, const struct tui_global *g);

#endif
