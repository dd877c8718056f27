"""parlab's driver for CPython's own pools.

parlab starts this script with the interpreter under test and talks to it
over pipes: one JSON command per line on stdin, one event per line on
stdout. It runs the recipe of the text parlab grew from, as a learner would
type it: list(map(f, range(n))) for the serial side, then
multiprocessing.Pool(W).map(f, range(n)) or
multiprocessing.pool.ThreadPool(W).map(f, range(n)) for the parallel side.

Each task writes a start and an end line itself, from whichever process or
thread runs it, so parlab draws the tasks while they run. Worker processes
write theirs into one multiprocessing pipe that every start method hands
to its workers (fork, spawn and forkserver alike: a spawned worker does not
inherit fd 1), and a relay thread copies them to stdout. Once a process pool
exists the driver's own lines take the same pipe, so a round's end never
overtakes its tasks' lines. A line is one short message, so lines from
different workers never interleave.

Events:  H {json}              the interpreter: version, GIL, start method
         R <iterations/ms>     the work is sized (pure-Python loop calibrated)
         P <ns>                a pool was created, and each of its worker
                               processes has started, in <ns>
         B <t0>                a round begins; times below are monotonic ns
         S <task> <id> <t>     a task started on process/thread <id>
         E <task> <t> <cpu>    it ended, after <cpu> ns of its thread's CPU
         W <id> <cpu> <delay>  a worker's CPU and run-queue wait in the round, ns
                               (Linux; read before and after, never per task)
         K <ns> <chunks>       after a process pool's round, outside its clocks:
                               what pickling and unpickling the round's tasks
                               and results took, chunk by chunk as map cut them
         D <wall> <cpu> <sum>  the round ended: wall ns, CPU ns, checksum
         X <message>           a command failed

When stdin closes (parlab finished, cancelled, or died) the driver kills
every worker process it started and exits at once. A worker whose parent
is gone (the driver was killed) ends itself: a thread waits on the
parent's sentinel, which every start method and OS provides.
"""

import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.pool
import os
import platform
import queue
import signal
import sys
import threading
import time
import zlib

MASK = (1 << 64) - 1
OUT = 1
CONFIG = {}
PAYLOAD = b""
POOL = None
EVENTS = None  # the pipe to the relay: in workers, and in the driver once it has a process pool


def emit(line):
    data = (line + "\n").encode()
    if EVENTS is None:
        os.write(OUT, data)
    else:
        EVENTS.send_bytes(data)


READY = threading.Condition()
READY_WORKERS = 0


def relay(reader):
    """Copies the pipe's lines to stdout, in the order they were sent, and
    counts the workers that said they are ready."""
    global READY_WORKERS
    while True:
        data = reader.recv_bytes()
        if data == b"W\n":
            with READY:
                READY_WORKERS += 1
                READY.notify_all()
        else:
            os.write(OUT, data)


def await_workers(count):
    """Waits until `count` workers have said they are ready: a spawned
    worker is still importing the work when Pool() returns."""
    deadline = time.monotonic() + 60.0
    with READY:
        while READY_WORKERS < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("only %d of %d workers started within a minute" % (READY_WORKERS, count))
            READY.wait(left)


def open_event_pipe():
    global EVENTS
    if EVENTS is None:
        reader, writer = multiprocessing.Pipe(duplex=False)
        threading.Thread(target=relay, args=(reader,), daemon=True).start()
        EVENTS = writer


def mix(value):
    z = (value + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def spin(index, iterations):
    """Pure-Python integer work: the GIL holds it to one thread at a time."""
    x = (mix(index) & 0xFFFFFFFF) | 1
    total = 0
    for _ in range(iterations):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        total += x
    return (total + index) & MASK


def calibrate():
    """Iterations of spin per millisecond: the best of three timings, each
    on this thread's CPU clock, so a start on a loaded machine (waiting for
    a CPU between the reads) cannot size the tasks too small."""
    best = 0.0
    iterations = 1 << 10
    for _ in range(3):
        while True:
            started = time.thread_time()
            spin(0, iterations)
            ms = (time.thread_time() - started) * 1000.0
            if ms >= 5.0:
                best = max(best, iterations / ms)
                break
            iterations *= 2
    return max(best, 1.0)


def init_worker(config, events):
    """Runs in each worker process: take the work and the event pipe (a
    spawned worker has no copy of either), and end with the driver even if
    it is killed."""
    global CONFIG, EVENTS
    CONFIG = config
    EVENTS = events
    if sys.platform.startswith("linux"):
        # The kernel's own guard on Linux: killed the moment the driver is.
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=exit_with, args=(parent.sentinel,), daemon=True).start()
    STARTED.set()
    emit("W")


STARTED = threading.Event()


def exit_while_starting(parent):
    """A spawned worker imports this script before it knows its parent's
    sentinel: until then, on Unix, it watches for being orphaned (its
    parent's id changes) so that a slow start cannot outlive the driver."""
    while not STARTED.wait(0.05):
        if os.getppid() != parent:
            os._exit(1)


def exit_with(sentinel):
    """Waits until the parent process has gone, then ends this one, even in
    the middle of a task."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def work(index):
    config = CONFIG
    weight = config["first_weight"] if index == 0 else config["weight"]
    if config["kind"] == "sleep":
        time.sleep(config["task_ms"] * weight / 1000.0)
        return mix(index)
    return spin(index, max(1, round(config["rate"] * config["task_ms"] * weight)))


def worker_id():
    if CONFIG.get("mode") == "processes":
        return os.getpid()
    return threading.get_native_id()


def task(index):
    emit("S %d %d %d" % (index, worker_id(), time.monotonic_ns()))
    cpu = time.thread_time_ns()
    checksum = work(index)
    emit("E %d %d %d" % (index, time.monotonic_ns(), time.thread_time_ns() - cpu))
    return checksum


def task_with_payload(arg):
    index, data = arg
    emit("S %d %d %d" % (index, worker_id(), time.monotonic_ns()))
    cpu = time.thread_time_ns()
    checksum = work(index)
    key = mix(index ^ 0x5EED).to_bytes(8, "little") * (len(data) // 8 + 1)
    mixed = int.from_bytes(data, "little") ^ int.from_bytes(key[: len(data)], "little")
    result = mixed.to_bytes(len(data), "little")
    emit("E %d %d %d" % (index, time.monotonic_ns(), time.thread_time_ns() - cpu))
    return ((checksum + zlib.adler32(result)) & MASK, result)


def serial_part():
    iterations = max(1, round(CONFIG["rate"] * CONFIG["serial_ms"]))
    emit("S P %d %d" % (worker_id(), time.monotonic_ns()))
    cpu = time.thread_time_ns()
    if CONFIG["kind"] == "sleep":
        time.sleep(CONFIG["serial_ms"] / 1000.0)
        checksum = mix(CONFIG["tasks"])
    else:
        checksum = spin(CONFIG["tasks"], iterations)
    emit("E P %d %d" % (time.monotonic_ns(), time.thread_time_ns() - cpu))
    return checksum


def setup(command):
    global CONFIG, PAYLOAD
    CONFIG = dict(command)
    CONFIG["mode"] = "serial"
    # None: this platform's default. An unknown or unavailable method (fork
    # on Windows) fails here, before any pool.
    CONFIG["start_method"] = multiprocessing.get_context(command.get("start_method")).get_start_method()
    CONFIG["rate"] = 1.0 if command["kind"] == "sleep" else calibrate()
    PAYLOAD = bytes(range(256)) * (command["payload_kb"] * 4)
    emit("R %r" % CONFIG["rate"])


def close_pool():
    global POOL
    if POOL is not None:
        POOL.terminate()
        POOL.join()
        POOL = None


def start_pool(command):
    global POOL, READY_WORKERS
    close_pool()
    CONFIG["mode"] = command["mode"]
    CONFIG["chunksize"] = command.get("chunksize")
    workers = command["workers"]
    if command["mode"] == "processes":
        context = multiprocessing.get_context(CONFIG["start_method"])
        open_event_pipe()
        with READY:
            READY_WORKERS = 0
        started = time.perf_counter_ns()
        POOL = context.Pool(workers, initializer=init_worker, initargs=(CONFIG, EVENTS))
        await_workers(workers)
    else:
        started = time.perf_counter_ns()
        POOL = multiprocessing.pool.ThreadPool(workers)
    emit("P %d" % (time.perf_counter_ns() - started))


def round_workers(parallel):
    """The OS ids of the threads or processes that run this round's tasks,
    each with the schedstat file that holds its clocks."""
    if not parallel:
        ident = threading.get_native_id()
        return [(ident, "/proc/self/task/%d/schedstat" % ident)]
    workers = getattr(POOL, "_pool", None) or []
    if CONFIG["pool_mode"] == "processes":
        return [(w.pid, "/proc/%d/schedstat" % w.pid) for w in workers if w.pid]
    ids = [getattr(w, "native_id", None) for w in workers]
    return [(i, "/proc/self/task/%d/schedstat" % i) for i in ids if i]


def read_clocks(workers):
    """CPU and run-queue wait (ns) of each worker, where the OS shows them."""
    clocks = {}
    for ident, path in workers:
        try:
            with open(path) as stats:
                cpu, delay = stats.read().split()[:2]
            clocks[ident] = (int(cpu), int(delay))
        except (OSError, ValueError):
            pass
    return clocks


class WorkerDied(Exception):
    pass


def watched_map(function, args):
    """POOL.map, failing at once when a worker process of the pool dies
    while it runs: map would wait forever for the task it held."""
    chunksize = CONFIG.get("chunksize")
    if CONFIG["pool_mode"] != "processes":
        # Threads cannot die alone; the main thread stays out of the GIL.
        return POOL.map(function, args, chunksize=chunksize)
    pending = POOL.map_async(function, args, chunksize=chunksize)
    workers = list(getattr(POOL, "_pool", []))
    while not pending.ready():
        pending.wait(0.05)
        for worker in workers:
            code = worker.exitcode
            if code is not None and not pending.ready():
                close_pool()
                how = "killed by signal %d" % -code if code < 0 else "exit status %d" % code
                raise WorkerDied(
                    "worker process %d died in the middle of the run (%s)" % (worker.pid, how)
                )
    return pending.get()


def measure_pickling(function, args, results):
    """What Pool.map paid to pickle the round's tasks for its workers and
    their results back, measured after the round so that no clock of the
    run counts it: each chunk as map cut it, in the message map sends
    (mapstar and the function by name, then the chunk's arguments) and the
    one a worker sends back, pickled by multiprocessing's own pickler and
    unpickled, as the driver and the workers do. Returns the nanoseconds
    and the number of chunks."""
    from multiprocessing.reduction import ForkingPickler
    import pickle

    count = len(args)
    size = CONFIG.get("chunksize")
    if size is None:
        size, extra = divmod(count, len(POOL._pool) * 4)
        if extra:
            size += 1
    size = max(size, 1)
    took = 0
    chunks = 0
    for start in range(0, count, size):
        sent = (0, chunks, multiprocessing.pool.mapstar, ((function, tuple(args[start : start + size])),), {})
        back = (0, chunks, (True, results[start : start + size]))
        began = time.perf_counter_ns()
        pickle.loads(ForkingPickler.dumps(sent))
        pickle.loads(ForkingPickler.dumps(back))
        took += time.perf_counter_ns() - began
        chunks += 1
    return took, chunks


def run_round(parallel):
    CONFIG["mode"] = CONFIG["pool_mode"] if parallel else "serial"
    tasks = CONFIG["tasks"]
    if PAYLOAD:
        function, args = task_with_payload, [(i, PAYLOAD) for i in range(tasks)]
    else:
        function, args = task, range(tasks)
    workers = round_workers(parallel)
    before = read_clocks(workers)
    cpu = time.process_time_ns()
    emit("B %d" % time.monotonic_ns())
    started = time.perf_counter_ns()
    head = serial_part() if CONFIG["serial_ms"] > 0 else 0
    if parallel:
        results = watched_map(function, args)
    else:
        results = list(map(function, args))
    wall = time.perf_counter_ns() - started
    cpu = time.process_time_ns() - cpu
    for ident, (cpu_now, delay_now) in read_clocks(workers).items():
        if ident in before:
            cpu_was, delay_was = before[ident]
            emit("W %d %d %d" % (ident, cpu_now - cpu_was, delay_now - delay_was))
    if parallel and CONFIG["pool_mode"] == "processes":
        emit("K %d %d" % measure_pickling(function, args, results))
    sums = [r[0] for r in results] if PAYLOAD else results
    emit("D %d %d %d" % (wall, cpu, (head + sum(sums)) & MASK))


def read_commands(commands):
    """Reads fd 0 directly: a thread blocked inside sys.stdin would hold its
    lock across fork, and every forked worker would hang closing it."""
    pending = b""
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                commands.put(json.loads(line))
    try:
        if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
            # parlab made the driver lead a process group of its own: one
            # signal ends it and every process it started, even a worker
            # the pool is forking to replace a killed one.
            os.killpg(0, signal.SIGKILL)
        # Another thread may be starting workers: copy the set first.
        for child in list(multiprocessing.process._children):
            try:
                child.kill()
            except Exception:
                pass
    finally:
        os._exit(0)


def describe():
    gil_check = getattr(sys, "_is_gil_enabled", None)
    return {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "gil": True if gil_check is None else bool(gil_check()),
        "start_method": multiprocessing.get_start_method(),
        "executable": sys.executable,
    }


def main():
    if sys.version_info < (3, 8):
        emit("X parlab needs Python 3.8 or newer, this is %s" % platform.python_version())
        return
    commands = queue.Queue()
    threading.Thread(target=read_commands, args=(commands,), daemon=True).start()
    emit("H " + json.dumps(describe()))
    while True:
        command = commands.get()
        try:
            name = command["cmd"]
            if name == "setup":
                setup(command)
            elif name == "pool":
                CONFIG["pool_mode"] = command["mode"]
                start_pool(command)
            elif name == "run":
                run_round(command["parallel"])
            elif name == "close":
                close_pool()
                emit("C")
        except WorkerDied as error:
            emit("X %s" % error)
        except Exception as error:
            emit("X %s: %s" % (type(error).__name__, str(error).replace("\n", " ")))


if __name__ == "__main__":
    main()
elif __name__ == "__mp_main__" and os.name == "posix":
    threading.Thread(target=exit_while_starting, args=(os.getppid(),), daemon=True).start()
