/* registry.c: the platforms shipload knows, one line each (platform.h). A platform whose
 * adapter is not built yet is listed with a NULL table: its name is known (and listed in
 * messages) but choosing it is a configuration error. Adding a platform is one line here
 * and one adapter under src/platform/<name>/ (docs/architecture.md, "Adding a platform"). */
#include <stddef.h>
#include <string.h>
#include "platform/platforms.h"

typedef struct registered_platform {
    const char *name;
    const sl_platform *table;   /* NULL: not built yet */
} registered_platform;

static const registered_platform platforms[] = {
    { "ecart", &sl_ecart_platform },
    { "shoplazza", NULL },
    { "orderprotection", &sl_orderprotection_platform },
};

#define PLATFORM_COUNT (sizeof(platforms) / sizeof(platforms[0]))

const sl_platform *sl_platform_find(const char *name, int *known)
{
    if (known)
        *known = 0;
    for (size_t i = 0; name && i < PLATFORM_COUNT; i++)
        if (strcmp(platforms[i].name, name) == 0) {
            if (known)
                *known = 1;
            return platforms[i].table;
        }
    return NULL;
}

const char *sl_platform_names(void)
{
    return "ecart, shoplazza, orderprotection";
}

const sl_platform *sl_platform_default(void)
{
    return platforms[0].table;
}
