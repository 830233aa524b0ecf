/* import.h: the import of the sources an options struct names, as one unit: what `shipload
 * import SOURCE...` does after its checks, and what an inbox run does for each file it claims
 * (with the file as the only operand and its report directory as -o). */
#ifndef SHIPLOAD_CLI_IMPORT_H
#define SHIPLOAD_CLI_IMPORT_H

#include "api_config.h"
#include "options.h"

/* Imports options->operands in turn; returns the worst exit status (spec §9). The caller has
 * installed the interrupt handler. */
int cli_import_sources(const cli_options *options, const cli_api_config *api);

#endif
