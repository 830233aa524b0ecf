/* report_fs.h: the file-system side of the reports (private to src/report): the run's directory
 * made with mkdir -p semantics, and report files written under a temporary name in that
 * directory and renamed into place only when complete. */
#ifndef SHIPLOAD_REPORT_FS_H
#define SHIPLOAD_REPORT_FS_H

#include <stdio.h>
#include "shipload/error.h"

/* Creates dir and its missing parents (existing directories are fine). */
int sl_report_mkdir_p(const char *dir, sl_error *err);

/* A report file being written: `dir/.NAME.XXXXXXXXXXXX.tmp` (a random, unused name, created
 * with O_EXCL|O_NOFOLLOW: a file or symlink planted there is never followed or overwritten)
 * until committed as `dir/NAME`. */
typedef struct report_file {
    FILE *fp;
    char *final_path;
    char *temp_path;
    char *stdio_buffer;
    long long behind;     /* bytes whose write-back sl_report_file_write_behind started */
    int error;            /* the errno of the write, sync or rename that failed, else 0 */
} report_file;

int sl_report_file_open(report_file *file, const char *dir, const char *name, sl_error *err);
/* Flushes, syncs, closes and renames to the final name. */
int sl_report_file_commit(report_file *file, sl_error *err);
/* Closes and removes the temporary file (nothing if never opened or already committed). */
void sl_report_file_discard(report_file *file);
/* Starts the write-back of what the file holds so far once WRITE_BEHIND bytes more than last
 * time reached the kernel (Linux's sync_file_range; nothing elsewhere), so that the fsync of
 * the commit finds little left to write and wait for. A hint: its failures are left for the
 * commit to find. Asks the stream its position: call it every thousand records or so. */
void sl_report_file_write_behind(report_file *file);
/* Non-zero when a write to the file failed (disk full, I/O error). */
int sl_report_file_failed(const report_file *file);

/* A hidden file of bytes allocated blocks in dir (posix_fallocate): space kept for the
 * reports. -1 with err naming dir and the cause. */
int sl_report_reserve_open(report_file *reserve, const char *dir, unsigned long long bytes,
                        sl_error *err);

/* "No space left on device (ENOSPC)": strerror with the symbolic name of the common causes of
 * a failed write, for messages that a reader can search for. */
const char *sl_report_errno_text(int error, char *buf, size_t cap);

#endif
