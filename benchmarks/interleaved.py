#!/usr/bin/env python3
"""Times commands interleaved: each round runs every command once, in a random order, so that
the machine's drift (another process, a busy neighbour of a virtual machine, the CPU's clock)
falls on all of them alike. hyperfine runs one command's runs after another's, and on a shared
machine two such rounds of the same builds can differ by more than the change they measure.

    benchmarks/interleaved.py RUNS 'NAME=COMMAND ARGS…' 'NAME=COMMAND ARGS…' …

Each command is split like a shell would (shlex), run without a shell, its output discarded; a
non-zero exit is accepted (`phr status` exits 1 while a case is not ready). After 5 untimed rounds,
prints each command's mean, median and minimum in milliseconds and its mean against the first
command's (the reference)."""
import os
import random
import shlex
import statistics
import sys
import time

WARMUP_ROUNDS = 5


def main() -> int:
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print("usage: interleaved.py RUNS 'NAME=COMMAND …' …", file=sys.stderr)
        return 64
    runs = int(sys.argv[1])
    names, commands = [], []
    for spec in sys.argv[2:]:
        name, _, command = spec.partition("=")
        names.append(name)
        commands.append(shlex.split(command))
    devnull = os.open(os.devnull, os.O_WRONLY)
    quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = [[] for _ in commands]
    for round_number in range(WARMUP_ROUNDS + runs):
        order = list(range(len(commands)))
        random.shuffle(order)
        for index in order:
            start = time.perf_counter_ns()
            pid = os.posix_spawnp(commands[index][0], commands[index], os.environ, file_actions=quiet)
            os.waitpid(pid, 0)
            if round_number >= WARMUP_ROUNDS:
                times[index].append((time.perf_counter_ns() - start) / 1e6)
    reference = statistics.mean(times[0])
    width = max(len(name) for name in names)
    for name, measured in zip(names, times):
        mean = statistics.mean(measured)
        print(f"{name:<{width}}  mean {mean:7.2f} ms  median {statistics.median(measured):7.2f}  "
              f"min {min(measured):7.2f}  {mean / reference:5.2f} x {names[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
