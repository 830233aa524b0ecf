/* test_template_detect_refused.c: detection of an XML document the reader would refuse (issue
 * 19): a "billion laughs" entity bomb is refused naming the entities its DOCTYPE declares,
 * not "no XML element could be read". */
#include "test_template_util.h"
#include "shipload/input.h"

START_TEST(entity_bomb_names_the_entities)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char *path = write_file(dir, "bomb.xml",
                            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
                            " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                            " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                            "]>\n<lolz>&lol2;</lolz>\n");
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_ptr_nonnull(stream);
    sl_template *tpl = sl_template_detect(stream, &err);
    ck_assert_ptr_null(tpl);
    ck_assert_msg(strstr(err.message, "declares entities in its DOCTYPE") != NULL, "%s",
                  err.message);
    ck_assert_msg(strstr(err.message, "lol1") && strstr(err.message, "lol2"), "%s", err.message);
    sl_stream_close(stream);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_detect_refused");
    TCase *tc = tcase_create("refused");
    tcase_add_test(tc, entity_bomb_names_the_entities);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
