/* fuzz_template.c: the template loader on arbitrary JSON: parse, check, and (when it loads)
 * open its reader over a small sample, so a template that loads is also one that reads. */
#include "fuzz_util.h"
#include "shipload/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof(path));
    if (fd < 0)
        return 0;
    sl_error err;
    sl_template *tpl = sl_template_load_file(path, &err);
    if (tpl) {
        static const uint8_t sample[] = "order_number,tracking_number,carrier\n#1,1Z1,UPS\n";
        char sample_path[64];
        int sample_fd = fuzz_file(sample, sizeof(sample) - 1, sample_path, sizeof(sample_path));
        sl_stream *stream = sample_fd >= 0 ? sl_stream_open(sample_path, SL_ENCODING_AUTO, &err)
                                           : NULL;
        if (stream) {
            sl_reader *reader = sl_template_reader_new(tpl, stream, &err);
            if (reader) {
                fuzz_drain(reader, NULL);
                sl_reader_free(reader);
            }
            sl_stream_close(stream);
        }
        if (sample_fd >= 0)
            close(sample_fd);
        sl_template_free(tpl);
    }
    close(fd);
    return 0;
}
