/*
 * Preloaded ahead of libfaketime in CI's "another day" run, so that timers keep the kernel's own
 * monotonic clock while the wall clock is moved.
 *
 * libfaketime 0.9.10 rewrites the deadline of every absolute timerfd_settime by the wall clock's
 * offset, whatever clock the timer counts. libdispatch arms its CLOCK_MONOTONIC timers that way,
 * so under faketime a deadline became negative (EINVAL: the timer never fires) or lay months away,
 * and XCTest's run loop, which wakes on such a timer every 0.1 s to see whether a test has
 * finished, waited forever whenever nothing else woke it. Seen on 2026-12-01 in about one run in
 * three of a suite; with this file preloaded, none in forty.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value) {
    return (int)syscall(SYS_timerfd_settime, fd, flags, new_value, old_value);
}

int timerfd_gettime(int fd, struct itimerspec *curr_value) {
    return (int)syscall(SYS_timerfd_gettime, fd, curr_value);
}
