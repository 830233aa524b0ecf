/* templates.c: `shipload templates [list | show NAME]`: the templates on the search path with
 * their descriptions, or one template's JSON as it is on disk. Loading (and so checking) a
 * template is src/template's; this file only prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "options.h"
#include "shipload/template.h"

static int list_templates(void)
{
    sl_error err = { "" };
    size_t count = 0;
    char **names = sl_template_list(&count, &err);
    if (!names && count == 0 && err.message[0]) {
        fprintf(stderr, "shipload templates: %s\n", err.message);
        return SL_EXIT_USAGE;
    }
    size_t width = 0;
    for (size_t i = 0; i < count; i++)
        if (strlen(names[i]) > width)
            width = strlen(names[i]);
    int status = SL_EXIT_OK;
    for (size_t i = 0; i < count; i++) {
        sl_template *tpl = sl_template_load(names[i], &err);
        if (!tpl) {   /* a broken template is named, the others still listed */
            fprintf(stderr, "shipload templates: %s\n", err.message);
            status = SL_EXIT_USAGE;
            continue;
        }
        const char *description = sl_template_description(tpl);
        printf("%-*s  %s\n", (int)width, names[i], description ? description : "");
        sl_template_free(tpl);
    }
    sl_template_names_free(names, count);
    if (count == 0)
        fprintf(stderr, "shipload templates: no templates found (is SHIPLOAD_TEMPLATE_PATH set "
                        "right?)\n");
    return status;
}

static int copy_file_to_stdout(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "shipload templates: cannot read %s\n", path);
        return SL_EXIT_FATAL;
    }
    char buffer[8192];
    size_t got;
    int last = '\n';
    while ((got = fread(buffer, 1, sizeof(buffer), fp)) > 0) {
        fwrite(buffer, 1, got, stdout);
        last = buffer[got - 1];
    }
    fclose(fp);
    if (last != '\n')
        putchar('\n');
    return SL_EXIT_OK;
}

static int show_template(const char *name)
{
    sl_error err = { "" };
    sl_template *tpl = sl_template_load(name, &err);
    if (!tpl) {
        fprintf(stderr, "shipload templates: %s\n", err.message);
        return SL_EXIT_USAGE;
    }
    int status = copy_file_to_stdout(sl_template_path(tpl));
    sl_template_free(tpl);
    return status;
}

int cli_templates(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_TEMPLATES, "templates") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "templates");
        return SL_EXIT_OK;
    }
    const char *action = options.operand_count > 0 ? options.operands[0] : "list";
    if (strcmp(action, "list") == 0 && options.operand_count <= 1)
        return list_templates();
    if (strcmp(action, "show") == 0 && options.operand_count == 2)
        return show_template(options.operands[1]);
    fprintf(stderr, "shipload templates: expected 'list' or 'show NAME' (see 'shipload templates "
                    "--help')\n");
    return SL_EXIT_USAGE;
}
