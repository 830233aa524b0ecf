/* fuzz_xml.c: the XML reader with each XML template shipload ships (generic-xml,
 * cxml-shipnotice), through the template's own reader; the first byte picks the template and
 * whether the bytes are read as they come or declared Latin-1. */
#include "fuzz_util.h"
#include "shipload/template.h"

static sl_template *templates[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!templates[0]) {
        sl_error err;
        templates[0] = sl_template_load("generic-xml", &err);
        templates[1] = sl_template_load("cxml-shipnotice", &err);
        if (!templates[0] || !templates[1])
            abort();   /* run from the source tree (SHIPLOAD_TEMPLATE_PATH) */
    }
    char path[64];
    int fd = fuzz_file(data + 1, size - 1, path, sizeof(path));
    if (fd < 0)
        return 0;
    sl_error err;
    sl_stream *stream = sl_stream_open(path, data[0] & 2 ? SL_ENCODING_LATIN1 : SL_ENCODING_AUTO,
                                       &err);
    if (stream) {
        sl_reader *reader = sl_template_reader_new(templates[data[0] & 1], stream, &err);
        if (reader) {
            fuzz_drain(reader, NULL);
            sl_reader_free(reader);
        }
        sl_stream_close(stream);
    }
    close(fd);
    return 0;
}
