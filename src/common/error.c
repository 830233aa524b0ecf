/* error.c: sl_error formatting and the name tables of row codes, warning kinds and statuses. */
#include <stdio.h>
#include "shipload/error.h"

int sl_error_set(sl_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return -1;
}

#define SL_CODE_NAME_ENTRY(id, name) [id] = name,
static const char *const code_names[SL_CODE_COUNT] = { SL_CODE_TABLE(SL_CODE_NAME_ENTRY) };

#define SL_WARNING_NAME_ENTRY(id, name) [id] = name,
static const char *const warning_names[SL_WARNING_COUNT] = { SL_WARNING_TABLE(SL_WARNING_NAME_ENTRY) };

#define SL_STATUS_NAME_ENTRY(id, name, success) [id] = name,
static const char *const status_names[SL_STATUS_COUNT] = { SL_STATUS_TABLE(SL_STATUS_NAME_ENTRY) };

#define SL_STATUS_SUCCESS_ENTRY(id, name, success) [id] = success,
static const int status_success[SL_STATUS_COUNT] = { SL_STATUS_TABLE(SL_STATUS_SUCCESS_ENTRY) };

const char *sl_code_name(sl_code code)
{
    return (unsigned)code < SL_CODE_COUNT ? code_names[code] : "";
}

const char *sl_warning_name(sl_warning kind)
{
    return (unsigned)kind < SL_WARNING_COUNT ? warning_names[kind] : "";
}

const char *sl_status_name(sl_status status)
{
    return (unsigned)status < SL_STATUS_COUNT ? status_names[status] : "";
}

int sl_status_is_success(sl_status status)
{
    return (unsigned)status < SL_STATUS_COUNT && status_success[status];
}
