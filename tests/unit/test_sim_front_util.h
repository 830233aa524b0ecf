/* test_sim_front_util.h: driving a platform front of the simulator in unit tests
 * (test_sim_shoplazza.c, test_sim_orderprotection.c): a store from one of the fixture files
 * (tests/store-sim/fixtures/), a query with repeated parameters, and one request through
 * sim_dispatch with its status, body and Request-Id. */
#ifndef TEST_SIM_FRONT_UTIL_H
#define TEST_SIM_FRONT_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "front.h"

typedef struct test_query {
    const char *pairs[24][2];       /* a key may repeat */
} test_query;

static const char *test_query_one(void *ctx, const char *key)
{
    test_query *query = ctx;
    for (size_t i = 0; query && i < 24 && query->pairs[i][0]; i++)
        if (strcmp(query->pairs[i][0], key) == 0)
            return query->pairs[i][1];
    return NULL;
}

static size_t test_query_all(void *ctx, const char *key, const char **values, size_t max)
{
    test_query *query = ctx;
    size_t count = 0;
    for (size_t i = 0; query && i < 24 && query->pairs[i][0]; i++)
        if (strcmp(query->pairs[i][0], key) == 0 && count < max)
            values[count++] = query->pairs[i][1];
    return count;
}

/* A store from tests/store-sim/fixtures/NAME in the front's form. */
static sim_store *test_fixture_store(const char *name, const sim_front *front)
{
    char path[1024], err[400];
    const char *root = getenv("SHIPLOAD_SOURCE_DIR");
    snprintf(path, sizeof(path), "%s/tests/store-sim/fixtures/%s", root ? root : ".", name);
    sim_store *store = sim_store_load_file_as(path, front->form, err, sizeof(err));
    ck_assert_msg(store != NULL, "%s: %s", path, err);
    return store;
}

typedef struct test_answer {
    int status;
    json_t *json;               /* the parsed body (any JSON value) */
    char request_id[40];
} test_answer;

/* One request; auth is the Authorization header, access_token the Access-Token header. */
static test_answer test_send(sim_app *app, const char *method, const char *path,
                             test_query *query, const char *body, const char *authorization,
                             const char *access_token)
{
    sim_request request;
    sim_reply reply;
    test_answer answer;
    json_error_t error;
    memset(&request, 0, sizeof(request));
    request.method = method;
    request.path = path;
    request.authorization = authorization;
    request.access_token = access_token;
    request.query = test_query_one;
    request.query_all = test_query_all;
    request.query_ctx = query;
    request.body = body;
    request.body_len = body ? strlen(body) : 0;
    sim_dispatch(app, &request, &reply);
    answer.status = reply.status;
    answer.json = json_loadb(reply.body, reply.len, JSON_DECODE_ANY, &error);
    ck_assert_msg(answer.json != NULL, "%s %s: body is not JSON: %.*s", method, path,
                  (int)reply.len, reply.body);
    memcpy(answer.request_id, reply.request_id, sizeof(answer.request_id));
    sim_reply_clear(&reply);
    return answer;
}

#endif
