/* record.c: the request recorder (see record.h). One json_dumps per request, one fputs under a
 * lock, flushed at once so a reader sees every request a finished client sent. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "strbuf.h"

int sim_recorder_open(sim_recorder *recorder, const char *path)
{
    memset(recorder, 0, sizeof(*recorder));
    pthread_mutex_init(&recorder->lock, NULL);
    if (!path)
        return 0;
    recorder->file = fopen(path, "a");
    return recorder->file ? 0 : -1;
}

void sim_recorder_close(sim_recorder *recorder)
{
    if (recorder->file)
        fclose(recorder->file);
    recorder->file = NULL;
    pthread_mutex_destroy(&recorder->lock);
}

typedef struct query_text {
    sim_strbuf text;
    int count;
} query_text;

static enum MHD_Result add_argument(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    query_text *query = cls;
    sim_strbuf_append(&query->text, query->count++ ? "&" : "?", 1);
    sim_strbuf_append(&query->text, key, strlen(key));
    if (value) {
        sim_strbuf_append(&query->text, "=", 1);
        sim_strbuf_append(&query->text, value, strlen(value));
    }
    return MHD_YES;
}

void sim_recorder_write(sim_recorder *recorder, struct MHD_Connection *connection,
                        const char *method, const char *url, const char *body, size_t len)
{
    if (!recorder->file)
        return;
    query_text query;
    memset(&query, 0, sizeof(query));
    sim_strbuf_append(&query.text, url, strlen(url));
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, add_argument, &query);
    json_t *line = json_pack("{s:s, s:s%, s:s%}", "method", method, "path",
                             query.text.data ? query.text.data : "", query.text.len,
                             "body", body ? body : "", body ? len : 0);
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text) {
        pthread_mutex_lock(&recorder->lock);
        fputs(text, recorder->file);
        fputc('\n', recorder->file);
        fflush(recorder->file);
        pthread_mutex_unlock(&recorder->lock);
    }
    free(text);
    json_decref(line);
    free(query.text.data);
}
