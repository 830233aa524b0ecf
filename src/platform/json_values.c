/* json_values.c: lenient readers of JSON members that come as strings or numbers (see
 * json_values.h). No validation: the decoders that call them decide what a missing or odd
 * value means. */
#include "platform/json_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sl_json_string_or_null(json_t *value)
{
    char digits[32];
    if (json_is_integer(value)) {
        snprintf(digits, sizeof(digits), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return strdup(digits);
    }
    return json_is_string(value) ? strdup(json_string_value(value)) : NULL;
}

long sl_json_whole(json_t *value)
{
    if (json_is_integer(value))
        return (long)json_integer_value(value);
    if (json_is_string(value))
        return strtol(json_string_value(value), NULL, 10);
    return 0;
}
