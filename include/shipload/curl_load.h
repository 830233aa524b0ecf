/* curl_load.h: libcurl is loaded when shipload first calls it (src/common/curl_load.c); the
 * callers use libcurl's own functions as usual. */
#ifndef SHIPLOAD_CURL_LOAD_H
#define SHIPLOAD_CURL_LOAD_H

/* NULL once libcurl is loaded (it is then, if it was not); else why it cannot be: the library's
 * name and the loader's reason. */
const char *sl_curl_load_error(void);

#endif
