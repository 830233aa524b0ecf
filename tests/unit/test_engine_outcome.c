/* test_engine_outcome.c: how a request that did not succeed ends for its rows (outcome.h): a
 * stopped request is not_attempted with the stop's code, an error body goes through the
 * platform's error map, and the API's health decides when it is unreachable. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/outcome.h"
#include "shipload/platform.h"

/* ---------------------------------------------------------------- outcomes */

/* A request cut off by a stop is not_attempted with the code of what stopped the run. */
START_TEST(outcome_of_a_stopped_request_carries_the_stop_code)
{
    static const sl_code reasons[] = { SL_CODE_AUTH_FAILED, SL_CODE_INTERRUPTED,
                                       SL_CODE_TIMEOUT, SL_CODE_RUN_STOPPED };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        sl_http_response response = { 0 };
        response.body = "";
        response.stopped = SL_HTTP_STOP_NOT_SENT;
        response.stop_code = reasons[i];
        sl_api_outcome outcome;
        sl_api_outcome_classify(sl_platform_default(), &response, "bulk create for order 7", &outcome);
        ck_assert_int_eq(outcome.status, SL_STATUS_NOT_ATTEMPTED);
        ck_assert_int_eq(outcome.code, reasons[i]);
        ck_assert(strstr(outcome.message, "bulk create for order 7: not sent") != NULL);
    }
    sl_http_response abandoned = { 0 };
    abandoned.body = "";
    abandoned.stopped = SL_HTTP_STOP_ABANDONED;   /* a GET: nothing applied */
    abandoned.stop_code = SL_CODE_INTERRUPTED;
    sl_api_outcome outcome;
    sl_api_outcome_classify(sl_platform_default(), &abandoned, "order lookup", &outcome);
    ck_assert_int_eq(outcome.status, SL_STATUS_NOT_ATTEMPTED);
    ck_assert_int_eq(outcome.code, SL_CODE_INTERRUPTED);
    ck_assert(strstr(outcome.message, "interrupted") != NULL);
    abandoned.stop_code = SL_CODE_NONE;           /* no reason known: still a code */
    sl_api_outcome_classify(sl_platform_default(), &abandoned, "order lookup", &outcome);
    ck_assert_int_eq(outcome.code, SL_CODE_RUN_STOPPED);
    ck_assert_str_eq(sl_code_name(SL_CODE_INTERRUPTED), "interrupted");
    ck_assert_str_eq(sl_code_name(SL_CODE_RUN_STOPPED), "run_stopped");
}
END_TEST

/* An unreachable API's code is the last transport failure's. */
START_TEST(health_code_is_the_last_transport_failure)
{
    sl_api_health health = { 0 };
    ck_assert_int_eq(sl_api_health_code(&health), SL_CODE_NETWORK_ERROR);
    sl_http_response timed_out = { 0 };
    timed_out.transport = SL_HTTP_TRANSPORT_TIMEOUT;
    ck_assert_int_eq(sl_api_health_note(&health, &timed_out), 1);   /* no answer yet at all */
    ck_assert_int_eq(sl_api_health_code(&health), SL_CODE_TIMEOUT);
    sl_http_response reset = { 0 };
    reset.transport = SL_HTTP_TRANSPORT_NETWORK_ERROR;
    sl_api_health_note(&health, &reset);      /* decided already: the deciding code stays */
    ck_assert_int_eq(sl_api_health_code(&health), SL_CODE_TIMEOUT);
    sl_api_health answering = { 0 };
    sl_http_response ok = { 0 };
    ok.status = 200;
    sl_api_health_note(&answering, &ok);
    ck_assert_int_eq(sl_api_health_note(&answering, &timed_out), 0);
    ck_assert_int_eq(sl_api_health_note(&answering, &reset), 0);
    ck_assert_int_eq(sl_api_health_code(&answering), SL_CODE_NETWORK_ERROR);
}
END_TEST

/* A refusal: the platform's code decides the row code; an unknown code is api_rejected. */
START_TEST(refusal_goes_through_the_platform_error_map)
{
    sl_http_response refused = { 0 };
    refused.status = 422;
    refused.body = "{\"success\":false,\"error\":{\"code\":\"orderCanceled\",\"message\":\"no\"}}";
    refused.body_len = strlen(refused.body);
    sl_api_outcome outcome;
    sl_api_outcome_classify(sl_platform_default(), &refused, "bulk create for order 7", &outcome);
    ck_assert_int_eq(outcome.status, SL_STATUS_REJECTED);
    ck_assert_int_eq(outcome.code, SL_CODE_ORDER_CANCELED);
    ck_assert(strstr(outcome.message, "HTTP 422 orderCanceled: no") != NULL);
    refused.body = "{\"success\":false,\"error\":{\"code\":\"somethingNew\"}}";
    refused.body_len = strlen(refused.body);
    sl_api_outcome_classify(sl_platform_default(), &refused, "bulk create", &outcome);
    ck_assert_int_eq(outcome.code, SL_CODE_API_REJECTED);
    ck_assert(strstr(outcome.message, "somethingNew") != NULL);
}
END_TEST

static Suite *outcome_suite(void)
{
    Suite *suite = suite_create("engine_outcome");
    TCase *outcomes = tcase_create("outcomes");
    tcase_add_test(outcomes, outcome_of_a_stopped_request_carries_the_stop_code);
    tcase_add_test(outcomes, health_code_is_the_last_transport_failure);
    tcase_add_test(outcomes, refusal_goes_through_the_platform_error_map);
    suite_add_tcase(suite, outcomes);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(outcome_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
