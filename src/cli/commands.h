/* commands.h: the subcommands of the shipload binary, one file each (validate.c, detect.c,
 * templates.c; import.c and export.c later). Each takes argv with argv[0] = its own name and
 * returns the process exit status (spec §9). main.c holds the table that dispatches to them. */
#ifndef SHIPLOAD_CLI_COMMANDS_H
#define SHIPLOAD_CLI_COMMANDS_H

#include <stdio.h>

int cli_import(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_detect(int argc, char **argv);
int cli_templates(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_report(int argc, char **argv);

/* `shipload COMMAND --help`: usage, description and the options the command takes. */
void cli_command_help(FILE *out, const char *command_name);

#endif
