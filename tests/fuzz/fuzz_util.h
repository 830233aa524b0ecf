/* fuzz_util.h: what the libFuzzer harnesses share: the fuzzer's bytes as a file the stream can
 * open (a memfd, named through /proc/self/fd) and reading every record of a reader. */
#ifndef SHIPLOAD_FUZZ_UTIL_H
#define SHIPLOAD_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "shipload/input.h"

/* data as a file: its path in path (cap bytes); the fd to close after. -1 on failure. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    for (size_t at = 0; at < size;) {
        ssize_t n = write(fd, data + at, size - at);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        at += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

/* Reads every record; returns how many (a hash of their fields in *digest). */
static inline size_t fuzz_drain(sl_reader *reader, uint64_t *digest)
{
    sl_error err;
    const sl_record *record;
    size_t count = 0;
    uint64_t h = 1469598103934665603ULL;
    if (sl_reader_start(reader, &err) != 0)
        return 0;
    while (sl_reader_next(reader, &record, &err) == 1) {
        count++;
        for (size_t i = 0; i < record->field_count; i++) {
            for (size_t k = 0; k < record->lengths[i]; k++)
                h = (h ^ (uint8_t)record->fields[i][k]) * 1099511628211ULL;
            h = (h ^ 0xFF) * 1099511628211ULL;
        }
        h = (h ^ record->bad_encoding) * 1099511628211ULL;
    }
    if (digest)
        *digest = h;
    return count;
}

#endif
