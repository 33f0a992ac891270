"""How fast and how wide we crawl: per host, and across the whole process.

Why two levels: the registry gives each host a rate and a concurrency (a government portal is a
small server), and the flow crawls every site at once in parallel threads, each thread with its
own event loop — so the total number of open connections is bounded only by a cap shared by all
of those loops. asyncio primitives belong to one loop, and a blocking threading.Semaphore would
park a worker thread per waiting request; `GlobalSlots` is a semaphore whose waiters are futures
on their own loops, woken thread-safely by whichever loop releases a slot.

`HostGate` spaces request *starts* on one host at least `interval` apart (1/requests_per_second,
or robots.txt's Crawl-delay if slower) and pauses the host on a Retry-After. Starts are spaced,
not counted per second, so the measured rate can never exceed the limit, even over a short window;
and spaced RATE_MARGIN wider than 1/rate, because the server sees arrivals, not our starts, and a
millisecond of scheduling jitter must not put two requests closer than the limit allows.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time


RATE_MARGIN = 1.01


class HostGate:
    """Per-host politeness: at most `concurrency` requests at once, one start per `interval`."""

    def __init__(self, concurrency: int, interval: float):
        self.slots = asyncio.Semaphore(concurrency)
        self.interval = interval * RATE_MARGIN
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Return when this host may see its next request. Waiters queue on the lock, and the next
        turn counts from when this one was *taken*, not when it was booked: a turn taken late
        (the loop was busy) does not let the following one come early."""
        async with self._lock:
            delay = self._next_start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next_start = max(self._next_start, time.monotonic() + self.interval)

    def pause(self, seconds: float) -> None:
        """No request to this host for `seconds` (a Retry-After is about the host, not one URL)."""
        self._next_start = max(self._next_start, time.monotonic() + seconds)


class GlobalSlots:
    """A counting semaphore usable from any number of event loops in any threads."""

    def __init__(self, capacity: int):
        self._lock = threading.Lock()
        self._capacity = capacity
        self._in_use = 0
        self._waiters: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = collections.deque()
        self._granted: set[asyncio.Future] = set()
        self.peak = 0                      # most slots ever held at once (tests, benchmarks)

    @property
    def capacity(self) -> int:
        return self._capacity

    def set_capacity(self, capacity: int) -> None:
        """Change the cap (every crawl_site sets it from the registry; the last setting holds)."""
        with self._lock:
            self._capacity = max(1, capacity)
        self._wake()

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._in_use < self._capacity and not self._waiters:
                self._take()
                return
            future = loop.create_future()
            self._waiters.append((loop, future))
        try:
            await future
        except asyncio.CancelledError:
            with self._lock:
                granted = future in self._granted
                self._granted.discard(future)
                if (loop, future) in self._waiters:
                    self._waiters.remove((loop, future))
            if granted:                    # the slot was handed over as we were cancelled
                self.release()
            raise
        with self._lock:
            self._granted.discard(future)

    def release(self) -> None:
        with self._lock:
            self._in_use -= 1
        self._wake()

    def _take(self) -> None:
        self._in_use += 1
        self.peak = max(self.peak, self._in_use)

    def _wake(self) -> None:
        with self._lock:
            while self._waiters and self._in_use < self._capacity:
                loop, future = self._waiters.popleft()
                if future.done() or loop.is_closed():
                    continue
                self._take()
                self._granted.add(future)
                loop.call_soon_threadsafe(_grant, future)

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc) -> None:
        self.release()


def _grant(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


# The process-wide cap on simultaneous connections, all sites together (registry key
# `max_connections` sets it).
CONNECTIONS = GlobalSlots(16)
