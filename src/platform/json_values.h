/* json_values.h: the lenient readers of JSON members the Shoplazza and OrderProtection decoders
 * share: a member that may come as a string or as a number. Ecart's decoder checks types and
 * ranges itself (ecart.c) and does not use these. */
#ifndef SHIPLOAD_PLATFORM_JSON_VALUES_H
#define SHIPLOAD_PLATFORM_JSON_VALUES_H

#include <jansson.h>

/* A new string of a string or integer value (an integer in decimal); NULL for anything else or
 * when out of memory. */
char *sl_json_string_or_null(json_t *value);

/* The whole number of an integer value or of a string's leading digits; 0 otherwise. */
long sl_json_whole(json_t *value);

#endif
