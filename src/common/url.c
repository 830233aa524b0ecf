/* url.c: URLs as shipload shows and builds them (url.h): the userinfo of the authority
 * dropped for display; path segments and query values percent-encoded (by libcurl). Parses
 * only as far as finding the authority; does not validate or normalise anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include "shipload/url.h"

char *sl_url_escape(const char *value)
{
    if (!value)
        return NULL;
    char *escaped = curl_easy_escape(NULL, value, 0);   /* curl's own allocation */
    char *owned = escaped ? strdup(escaped) : NULL;
    curl_free(escaped);
    return owned;
}

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
