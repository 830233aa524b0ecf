/* fuzz_xlsx.c: the .xlsx reader (src/input/xlsx_book.c, xlsx_reader.c): the workbook's
 * container and its XML parts. A mutated zip mostly fails its CRC or its inflate and never
 * reaches the parts, so the first byte picks how the rest is read:
 *  - even: the bytes are the file itself (the zip directory, local headers, inflate);
 *  - odd: the bytes are the workbook's parts, in the order of part_names, separated by the
 *    line PART_SEPARATOR, zipped here (stored, so every byte reaches libxml2) into a workbook.
 * Bit 1 reads the workbook headerless, bit 2 asks for the sheet named "Data" rather than the
 * first. Seeds: tests/fuzz/seeds/xlsx/ (parts of workbooks made by LibreOffice, openpyxl and
 * libxlsxwriter from the samples; see seeds/xlsx/README). */
#include <zip.h>
#include "fuzz_util.h"

#define PART_SEPARATOR "\n--part--\n"

static const char *const part_names[] = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml",
};
#define PART_COUNT (sizeof(part_names) / sizeof(part_names[0]))

/* The parts in data as a stored zip, written to fd. 0, or -1 when libzip refuses. */
static int zip_parts(const uint8_t *data, size_t size, int fd)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *buffer = zip_source_buffer_create(NULL, 0, 0, &error);
    zip_t *zip = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : NULL;
    if (!zip) {
        if (buffer)
            zip_source_free(buffer);
        zip_error_fini(&error);
        return -1;
    }
    zip_source_keep(buffer);
    const char *at = (const char *)data, *end = at + size;
    size_t separator = strlen(PART_SEPARATOR);
    for (size_t part = 0; part < PART_COUNT && at <= end; part++) {
        const char *next = memmem(at, (size_t)(end - at), PART_SEPARATOR, separator);
        size_t len = next ? (size_t)(next - at) : (size_t)(end - at);
        zip_source_t *source = zip_source_buffer(zip, at, len, 0);
        zip_int64_t index = source ? zip_file_add(zip, part_names[part], source, 0) : -1;
        if (source && index < 0)
            zip_source_free(source);
        if (index >= 0)
            zip_set_file_compression(zip, (zip_uint64_t)index, ZIP_CM_STORE, 0);
        if (!next)
            break;
        at = next + separator;
    }
    int rc = zip_close(zip) == 0 ? 0 : -1;
    if (rc != 0)
        zip_discard(zip);
    zip_stat_t stat;
    if (rc == 0 && zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
        char chunk[8192];
        zip_int64_t got;
        while ((got = zip_source_read(buffer, chunk, sizeof(chunk))) > 0)
            if (write(fd, chunk, (size_t)got) != got) {
                rc = -1;
                break;
            }
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    zip_error_fini(&error);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t pick = data[0];
    char path[64];
    int fd;
    if (pick & 1) {
        fd = fuzz_file(NULL, 0, path, sizeof(path));
        if (fd < 0)
            return 0;
        if (zip_parts(data + 1, size - 1, fd) != 0) {
            close(fd);
            return 0;
        }
        lseek(fd, 0, SEEK_SET);
    } else {
        fd = fuzz_file(data + 1, size - 1, path, sizeof(path));
        if (fd < 0)
            return 0;
    }
    sl_error err;
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    if (stream) {
        sl_reader *reader = sl_xlsx_reader_new(stream, pick & 4 ? "Data" : NULL, &err);
        if (reader) {
            if (sl_reader_start(reader, &err) == 0) {
                sl_xlsx_reader_set_header(reader, !(pick & 2));
                fuzz_drain(reader, NULL);
            }
            sl_reader_free(reader);
        }
        sl_stream_close(stream);
    }
    close(fd);
    return 0;
}
