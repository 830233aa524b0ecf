/* url.h: URLs as shipload shows them. A URL may carry credentials (https://user:pass@host/);
 * every URL that is printed, logged or stored goes through sl_url_shown first. */
#ifndef SHIPLOAD_URL_H
#define SHIPLOAD_URL_H

#include <stddef.h>

/* url without its userinfo ("user:pass@" of the authority) into out (cap bytes, truncated);
 * returns out. A URL without credentials is copied as it is. */
char *sl_url_shown(const char *url, char *out, size_t cap);

#endif
