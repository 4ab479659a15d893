/*
 * common.h - what every benchmark program shares: the clock, running the
 * real binary, and ending with a reason.
 */
#ifndef NT_BENCH_COMMON_H
#define NT_BENCH_COMMON_H

/* Seconds on the monotonic clock. */
double bench_now(void);
/* argv through the binary, its output to /dev/null; the exit status. */
int bench_run(char *const *argv);
/* The same; a failure ends the benchmark with a line naming the command. */
void bench_must(char *const *argv);
/* A line naming `what` and errno's message, then exit(1). */
void bench_die(const char *what);

#endif
