/* url.c: URLs as shipload shows them (url.h): the userinfo of the authority dropped. Parses
 * only as far as finding the authority; does not validate or normalise anything else. */
#include <stdio.h>
#include <string.h>
#include "shipload/url.h"

char *sl_url_shown(const char *url, char *out, size_t cap)
{
    if (!cap)
        return out;
    if (!url)
        url = "";
    const char *authority = strstr(url, "://");
    authority = authority ? authority + 3 : url;
    size_t authority_len = strcspn(authority, "/?#");
    const char *at = NULL;   /* the last '@' of the authority ends the userinfo */
    for (size_t i = 0; i < authority_len; i++)
        if (authority[i] == '@')
            at = authority + i;
    if (!at) {
        snprintf(out, cap, "%s", url);
        return out;
    }
    snprintf(out, cap, "%.*s%s", (int)(authority - url), url, at + 1);
    return out;
}
