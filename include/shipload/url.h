/* url.h: URLs as shipload shows and builds them. A URL may carry credentials
 * (https://user:pass@host/); every URL that is printed, logged or stored goes through
 * sl_url_shown first. Path segments and query values are percent-encoded by sl_url_escape. */
#ifndef SHIPLOAD_URL_H
#define SHIPLOAD_URL_H

#include <stddef.h>

/* url without its userinfo ("user:pass@" of the authority) into out (cap bytes, truncated);
 * returns out. A URL without credentials is copied as it is. */
char *sl_url_shown(const char *url, char *out, size_t cap);

/* value percent-encoded for a path segment or a query value (RFC 3986: the unreserved
 * characters kept, every other byte %XX; libcurl's curl_easy_escape). A new string (free());
 * NULL for NULL or when out of memory. */
char *sl_url_escape(const char *value);

#endif
