/*
 * test_throttle.c - unit tests of the web server's login throttle: locks per
 * name and per address, expiry, and that a flood of made-up names can
 * neither push a counted name out of the table nor get past a locked
 * address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "throttle.h"

#define T0 ((time_t)1000000)

static void fail_n(struct nt_throttle *t, const char *user, const char *addr, int n, time_t now)
{
    for (int i = 0; i < n; i++) {
        assert_true(nt_throttle_allowed(t, user, addr, now));
        nt_throttle_result(t, user, addr, false, now);
    }
}

static void test_name_lock_and_expiry(void **state)
{
    struct nt_throttle_entry mem[16];
    struct nt_throttle t;
    (void)state;
    memset(mem, 0, sizeof(mem));
    nt_throttle_init(&t, mem, 16);
    fail_n(&t, "budi", "10.0.0.1", NT_THROTTLE_MAX_FAILS, T0);
    /* The name is locked from every address; other names are not. */
    assert_false(nt_throttle_allowed(&t, "budi", "10.0.0.1", T0 + 1));
    assert_false(nt_throttle_allowed(&t, "budi", "10.0.0.9", T0 + 1));
    assert_true(nt_throttle_allowed(&t, "sari", "10.0.0.1", T0 + 1));
    /* The lock runs out, and the count starts over. */
    time_t later = T0 + NT_THROTTLE_LOCK_SECONDS + 1;
    assert_true(nt_throttle_allowed(&t, "budi", "10.0.0.1", later));
    nt_throttle_result(&t, "budi", "10.0.0.1", false, later);
    assert_true(nt_throttle_allowed(&t, "budi", "10.0.0.1", later));
}

static void test_success_clears_name(void **state)
{
    struct nt_throttle_entry mem[16];
    struct nt_throttle t;
    (void)state;
    memset(mem, 0, sizeof(mem));
    nt_throttle_init(&t, mem, 16);
    fail_n(&t, "budi", "10.0.0.1", NT_THROTTLE_MAX_FAILS - 1, T0);
    nt_throttle_result(&t, "budi", "10.0.0.1", true, T0);
    fail_n(&t, "budi", "10.0.0.1", NT_THROTTLE_MAX_FAILS - 1, T0);
    assert_true(nt_throttle_allowed(&t, "budi", "10.0.0.1", T0));
}

static void test_address_lock(void **state)
{
    struct nt_throttle_entry mem[64];
    struct nt_throttle t;
    char name[32];
    (void)state;
    memset(mem, 0, sizeof(mem));
    nt_throttle_init(&t, mem, 64);
    for (int i = 0; i < NT_THROTTLE_MAX_FAILS_IP; i++) {
        snprintf(name, sizeof(name), "tebak%d", i);
        fail_n(&t, name, "203.0.113.5", 1, T0);
    }
    assert_false(nt_throttle_allowed(&t, "budi", "203.0.113.5", T0 + 1));
    assert_true(nt_throttle_allowed(&t, "budi", "203.0.113.6", T0 + 1));
    /* A locked address makes no name entries: count the used slots. */
    size_t used = 0;
    for (size_t i = 0; i < 64; i++)
        used += mem[i].key[0] != 0;
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "banjir%d", i);
        assert_false(nt_throttle_allowed(&t, name, "203.0.113.5", T0 + 2));
    }
    size_t after = 0;
    for (size_t i = 0; i < 64; i++)
        after += mem[i].key[0] != 0;
    assert_int_equal(used, after);
}

static void test_flood_keeps_counts(void **state)
{
    enum { N = 32 };
    struct nt_throttle_entry mem[N];
    struct nt_throttle t;
    char name[32], addr[32];
    (void)state;
    memset(mem, 0, sizeof(mem));
    nt_throttle_init(&t, mem, N);
    fail_n(&t, "budi", "10.0.0.1", NT_THROTTLE_MAX_FAILS - 1, T0);
    /* A flood of made-up names from many addresses fills the table ... */
    int refused = 0;
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "palsu%d", i);
        snprintf(addr, sizeof(addr), "198.51.100.%d", i);
        if (!nt_throttle_allowed(&t, name, addr, T0 + 1)) {
            refused++;
            continue;
        }
        nt_throttle_result(&t, name, addr, false, T0 + 1);
    }
    /* ... and is refused once full, instead of evicting budi's count. */
    assert_true(refused > 0);
    assert_false(nt_throttle_allowed(&t, "palsu999", "198.51.100.250", T0 + 2));
    /* budi's count survived: one more failure locks the name. */
    nt_throttle_result(&t, "budi", "10.0.0.1", false, T0 + 2);
    assert_false(nt_throttle_allowed(&t, "budi", "10.0.0.2", T0 + 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_lock_and_expiry),
        cmocka_unit_test(test_success_clears_name),
        cmocka_unit_test(test_address_lock),
        cmocka_unit_test(test_flood_keeps_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
