/* fuzz_csv.c: the CSV reading path: stream (gzip detection and inflate, BOM, the encodings),
 * delimiter sniffing and libcsv, with or without a header. The first byte picks the options. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const sl_encoding encodings[] = { SL_ENCODING_AUTO, SL_ENCODING_UTF8,
                                             SL_ENCODING_LATIN1, SL_ENCODING_WINDOWS1252,
                                             SL_ENCODING_UTF16LE, SL_ENCODING_UTF16BE };
    uint8_t pick = data[0];
    char path[64];
    int fd = fuzz_file(data + 1, size - 1, path, sizeof(path));
    if (fd < 0)
        return 0;
    sl_error err;
    sl_stream *stream = sl_stream_open(path, encodings[pick % 6], &err);
    if (stream) {
        static const char delimiters[] = { 0, ',', ';', '\t' };
        sl_csv_options options = { delimiters[(pick >> 3) & 3], (pick >> 5) & 1, 0 };
        sl_reader *reader = sl_csv_reader_new(stream, &options, &err);
        if (reader) {
            fuzz_drain(reader, NULL);
            sl_reader_free(reader);
        }
        sl_stream_close(stream);
    }
    close(fd);
    return 0;
}
