/*
 * throttle.h - the login throttle: failures counted per user name and per
 * client address in a fixed table (no allocation per attempt), a name or an
 * address locked for a while after too many. Not thread-safe: the server
 * holds its lock around every call.
 */
#ifndef NT_WEB_THROTTLE_H
#define NT_WEB_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define NT_THROTTLE_MAX_FAILS    5   /* per user name */
#define NT_THROTTLE_MAX_FAILS_IP 20  /* per address (an office's NAT holds many users) */
#define NT_THROTTLE_LOCK_SECONDS 300 /* a lock, and how long a failure is remembered */

struct nt_throttle_entry {
    char key[128]; /* "u:name" or "a:address"; "" = free */
    unsigned fails;
    time_t until; /* locked until then */
    time_t last;  /* last failure or use */
};

struct nt_throttle {
    struct nt_throttle_entry *v;
    size_t n;
};

/* A table of `n` entries in `mem` (caller-owned, zeroed). */
void nt_throttle_init(struct nt_throttle *t, struct nt_throttle_entry *mem, size_t n);

/*
 * May `user` try to log in from `addr` now? No when either is locked, or
 * when the table has no room to count (every entry holds a recent failure
 * or a lock: a flood), so that counters are never pushed out by a flood of
 * made-up names. A locked address touches no name's counter.
 */
bool nt_throttle_allowed(struct nt_throttle *t, const char *user, const char *addr, time_t now);

/* Count the attempt's outcome: a success clears the name's count. */
void nt_throttle_result(struct nt_throttle *t, const char *user, const char *addr, bool success,
                        time_t now);

#endif
