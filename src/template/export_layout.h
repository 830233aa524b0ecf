/* export_layout.h: the loader's hook for a template's "export" section (export_layout.c).
 * Private to src/template; the layout itself is declared in include/shipload/export.h. */
#ifndef SHIPLOAD_TEMPLATE_EXPORT_LAYOUT_H
#define SHIPLOAD_TEMPLATE_EXPORT_LAYOUT_H

#include <jansson.h>
#include "shipload/export.h"
#include "shipload/template.h"

/* Parses the "export" object of the template at path (format: the template's own, the default
 * of export.format). On failure returns -1 with err as "PATH: export.KEY: message". */
int sl_tpl_export_layout_parse(const char *path, json_t *spec, sl_format template_format,
                            sl_export_layout **out, sl_error *err);

/* The same, for the import loader: only says whether the section is right. */
int sl_tpl_export_layout_check(const char *path, json_t *spec, sl_format template_format,
                            sl_error *err);

#endif
