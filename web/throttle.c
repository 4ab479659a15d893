/*
 * throttle.c - the login throttle's table (see throttle.h).
 */
#include "throttle.h"

#include <stdio.h>
#include <string.h>

void nt_throttle_init(struct nt_throttle *t, struct nt_throttle_entry *mem, size_t n)
{
    t->v = mem;
    t->n = n;
}

/* Entries that must stay: a lock that runs, or a failure still remembered. */
static bool keep(const struct nt_throttle_entry *e, time_t now)
{
    return e->key[0] &&
           (e->until > now || (e->fails > 0 && e->last + NT_THROTTLE_LOCK_SECONDS > now));
}

/* The entry of `key`; with `make`, made in a free slot or in place of the
 * stalest entry that need not stay; NULL when there is none. */
static struct nt_throttle_entry *slot(struct nt_throttle *t, const char *key, time_t now, bool make)
{
    struct nt_throttle_entry *victim = NULL;
    for (size_t i = 0; i < t->n; i++) {
        struct nt_throttle_entry *e = &t->v[i];
        if (e->key[0] && strcmp(e->key, key) == 0)
            return e;
        if (!keep(e, now) && (!victim || !e->key[0] || (victim->key[0] && e->last < victim->last)))
            victim = e;
    }
    if (!make || !victim)
        return NULL;
    memset(victim, 0, sizeof(*victim));
    snprintf(victim->key, sizeof(victim->key), "%s", key);
    victim->last = now;
    return victim;
}

static void keys_of(const char *user, const char *addr, char name[128], char place[128])
{
    snprintf(name, 128, "u:%s", user);
    snprintf(place, 128, "a:%s", addr);
}

bool nt_throttle_allowed(struct nt_throttle *t, const char *user, const char *addr, time_t now)
{
    char name[128], place[128];
    keys_of(user, addr, name, place);
    /* The address first: a locked one does not get to touch the names. */
    struct nt_throttle_entry *a = slot(t, place, now, true);
    if (!a || a->until > now)
        return false;
    struct nt_throttle_entry *u = slot(t, name, now, true);
    return u && u->until <= now;
}

void nt_throttle_result(struct nt_throttle *t, const char *user, const char *addr, bool success,
                        time_t now)
{
    char keys[2][128];
    keys_of(user, addr, keys[0], keys[1]);
    for (int i = 0; i < 2; i++) {
        struct nt_throttle_entry *e = slot(t, keys[i], now, !success);
        if (!e)
            continue;
        if (success && i == 0) {
            e->fails = 0;
        } else if (!success) {
            if ((e->until && e->until <= now) ||
                (!e->until && e->last + NT_THROTTLE_LOCK_SECONDS <= now))
                e->fails = 0; /* an old lock, or old failures, are forgotten */
            e->until = 0;
            if (++e->fails >= (i == 0 ? NT_THROTTLE_MAX_FAILS : NT_THROTTLE_MAX_FAILS_IP))
                e->until = now + NT_THROTTLE_LOCK_SECONDS;
        }
        e->last = now;
    }
}
