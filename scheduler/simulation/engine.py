"""The event loop of the contact-center simulator: one replication of calls meeting staff.

Everything here is plain Python on lists (a heap of timed events, one deque of waiting
contacts per queue), because the per-event work is a handful of dictionary and list
operations that numpy cannot vectorize. Inputs and outputs are numpy arrays; the caller
(`scheduler.simulation.week_inputs`, `scheduler.simulation.stats`) builds the former and
bins the latter.

Routing rules (DESIGN.md "What meeting 80/60 means"; issue 7):
- an arriving contact goes to the longest-idle available server skilled for its queue; a
  chat (queue concurrency > 1) that finds no idle server goes to the skilled server
  holding chats with a free slot who has waited longest for one;
- a server that frees up takes the waiting contact of the highest `Queue.priority` number
  among its queues, and among equal priorities the one that has waited longest
  (with ``by_priority=False``: the longest-waiting contact, priorities ignored);
- a server holding voice takes nothing else; a server holding chats takes only more chats,
  up to the smallest concurrency of the chats in hand;
- a break or the end of a shift that falls while a server is busy waits until the contacts
  in hand are finished; the break then lasts its full length;
- a caller hangs up when their patience runs out before an answer (callers with infinite
  patience never do); a contact still waiting when its queue closes (`Contacts.close_s`,
  which the caller folds into the patience of given contacts) is dropped and counts as
  abandoned; a transfer (escalation) inherits the closing time of the call it came from.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Duty events and their order among events at the same instant: a server leaving before
# one arriving keeps a hand-over from double counting; arrivals come after both.
_SHIFT_END, _BREAK_START, _BREAK_END, _SHIFT_START, _ABANDON, _DONE = range(6)
_WAITING, _ANSWERED, _ABANDONED = 0, 1, 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Floor:
    """What does not change between replications: queues and who can serve which.

    Queues are numbered 0..n-1; `skills[s]` lists the queue numbers server s takes.
    The escalation queue of shift leads is an ordinary queue here (the caller gives it
    the last number and only shift leads hold it as a skill).
    """

    priority: tuple[int, ...]
    concurrency: tuple[int, ...]
    skills: tuple[tuple[int, ...], ...]
    by_priority: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Contacts:
    """The contacts of one replication, sorted by arrival time (seconds from week start).

    `patience_s` is inf for callers who never hang up; `escalate_to` is the queue a contact
    is transferred to after its handling (-1: none), with `escalation_handle_s` its handle
    time there.
    """

    arrival_s: FloatArray
    queue: IntArray
    handle_s: FloatArray
    patience_s: FloatArray
    escalate_to: IntArray
    escalation_handle_s: FloatArray
    close_s: FloatArray  # a transfer still waiting at this time is dropped (inf: never)


@dataclass(frozen=True, slots=True, kw_only=True)
class Duty:
    """When servers work in one replication: shift starts and ends, breaks (start, length)."""

    shifts: tuple[tuple[int, float, float], ...]  # server, start_s, end_s
    breaks: tuple[tuple[int, float, float], ...]  # server, start_s, length_s


@dataclass(frozen=True, slots=True, kw_only=True)
class Trace:
    """What happened to every contact (the given ones first, then the transfers they made).

    `answered_s` and `abandoned_s` are NaN where it did not happen (a contact with both NaN
    was still waiting when the simulation ran out of events); `server` is -1 unless answered.
    `available` lists (server, start_s, end_s) spans in which a server could take contacts.
    """

    arrival_s: FloatArray
    queue: IntArray
    handle_s: FloatArray
    answered_s: FloatArray
    abandoned_s: FloatArray
    server: IntArray
    parent: IntArray  # for a transfer: the contact it came from; else -1
    available: tuple[tuple[int, float, float], ...]


class _Run:
    """One replication's state; `run()` drains the events and returns the trace."""

    def __init__(self, floor: Floor, contacts: Contacts, duty: Duty) -> None:
        self.floor = floor
        self.conc = floor.concurrency
        self.prio = floor.priority if floor.by_priority else (0,) * len(floor.priority)
        self.skills = floor.skills
        n_servers, n_queues = len(floor.skills), len(floor.priority)
        self.load = [0] * n_servers
        self.limit = [1] * n_servers
        self.on_shift = [False] * n_servers
        self.available = [False] * n_servers
        self.pending: list[float | None] = [None] * n_servers  # break length, or inf: off
        self.since = [0.0] * n_servers
        self.spans: list[tuple[int, float, float]] = []
        self.idle: list[dict[int, None]] = [{} for _ in range(n_queues)]
        self.spare: list[dict[int, None]] = [{} for _ in range(n_queues)]
        self.waiting: list[deque[int]] = [deque() for _ in range(n_queues)]
        self.arrival = contacts.arrival_s.tolist()
        self.queue = contacts.queue.tolist()
        self.handle = contacts.handle_s.tolist()
        self.patience = contacts.patience_s.tolist()
        self.esc_to = contacts.escalate_to.tolist()
        self.esc_handle = contacts.escalation_handle_s.tolist()
        self.close = contacts.close_s.tolist()
        n = len(self.arrival)
        self.state = [_WAITING] * n
        self.answered: list[float] = [math.nan] * n
        self.abandoned: list[float] = [math.nan] * n
        self.server = [-1] * n
        self.parent = [-1] * n
        self.events: list[tuple[float, int, int, int, float]] = []
        self.seq = 0
        for s, start, end in duty.shifts:
            self._push(start, _SHIFT_START, s, 0.0)
            self._push(end, _SHIFT_END, s, 0.0)
        for s, start, length in duty.breaks:
            self._push(start, _BREAK_START, s, length)

    def _push(self, time: float, kind: int, who: int, value: float) -> None:
        self.seq += 1
        heapq.heappush(self.events, (time, kind, self.seq, who, value))

    def run(self) -> Trace:
        """Process arrivals and events in time order until nothing is left to happen."""
        events, arrival = self.events, self.arrival
        handlers = {
            _SHIFT_END: self._shift_end, _BREAK_START: self._break_start,
            _BREAK_END: self._duty_start, _SHIFT_START: self._shift_start,
            _ABANDON: self._abandon, _DONE: self._done,
        }  # fmt: skip
        i, n = 0, len(arrival)
        while True:
            next_arrival = arrival[i] if i < n else math.inf
            if events and events[0][0] <= next_arrival:
                time, kind, _, who, value = heapq.heappop(events)
                handlers[kind](time, who, value)
            elif i < n:
                self._arrive(i, next_arrival)
                i += 1
            else:
                break
        return self._trace()

    def _trace(self) -> Trace:
        for s in range(len(self.skills)):
            if self.available[s]:  # never happens with finite shifts; kept for safety
                self.spans.append((s, self.since[s], self.since[s]))
        return Trace(
            arrival_s=np.asarray(self.arrival, dtype=np.float64),
            queue=np.asarray(self.queue, dtype=np.int64),
            handle_s=np.asarray(self.handle, dtype=np.float64),
            answered_s=np.asarray(self.answered, dtype=np.float64),
            abandoned_s=np.asarray(self.abandoned, dtype=np.float64),
            server=np.asarray(self.server, dtype=np.int64),
            parent=np.asarray(self.parent, dtype=np.int64),
            available=tuple(self.spans),
        )

    # --- contacts -------------------------------------------------------------------------

    def _arrive(self, c: int, time: float) -> None:
        """Give the contact to the longest-idle skilled server, or let it wait."""
        q = self.queue[c]
        idle = self.idle[q]
        if idle:
            self._serve(next(iter(idle)), c, time)
            return
        spare = self.spare[q]
        if spare:
            self._serve(next(iter(spare)), c, time)
            return
        self.waiting[q].append(c)
        patience = self.patience[c]
        if patience < math.inf:
            self._push(time + patience, _ABANDON, c, 0.0)

    def _serve(self, s: int, c: int, time: float) -> None:
        q = self.queue[c]
        self._leave_pools(s)
        self.limit[s] = self.conc[q] if self.load[s] == 0 else min(self.limit[s], self.conc[q])
        self.load[s] += 1
        self.state[c] = _ANSWERED
        self.answered[c] = time
        self.server[c] = s
        self._push(time + self.handle[c], _DONE, s, float(c))
        self._join_pools(s)

    def _abandon(self, time: float, c: int, _: float) -> None:
        if self.state[c] == _WAITING:
            self.state[c] = _ABANDONED
            self.abandoned[c] = time

    def _done(self, time: float, s: int, value: float) -> None:
        c = int(value)
        self.load[s] -= 1
        target = self.esc_to[c]
        if target >= 0:
            self._transfer(c, target, time)
        if self.pending[s] is not None:
            if self.load[s] == 0:
                self._go_off(s, time)
            return
        self._leave_pools(s)
        self._pull(s, time)

    def _transfer(self, c: int, queue: int, time: float) -> None:
        """The caller is handed to the escalation queue once the agent is done."""
        new = len(self.arrival)
        for floats, value in ((self.arrival, time), (self.handle, self.esc_handle[c]),
                              (self.patience, max(self.close[c] - time, 0.0)),
                              (self.close, self.close[c]), (self.esc_handle, 0.0),
                              (self.answered, math.nan), (self.abandoned, math.nan)):
            floats.append(value)
        for ints, number in ((self.queue, queue), (self.esc_to, -1), (self.server, -1),
                             (self.parent, c), (self.state, _WAITING)):
            ints.append(number)
        self._arrive(new, time)

    def _pull(self, s: int, time: float) -> None:
        """A server with a free slot takes waiting contacts, then waits in the idle pools."""
        while True:
            c = self._best_waiting(s)
            if c < 0:
                break
            self.waiting[self.queue[c]].popleft()
            self._serve(s, c, time)
        self._join_pools(s)

    def _best_waiting(self, s: int) -> int:
        """The waiting contact server s should take next (-1: none it can take)."""
        best, best_key = -1, (0, 0.0)
        load, limit = self.load[s], self.limit[s]
        for q in self.skills[s]:
            if load and not (self.conc[q] > 1 and load < min(limit, self.conc[q])):
                continue
            line = self.waiting[q]
            while line and self.state[line[0]] != _WAITING:
                line.popleft()
            if line:
                key = (-self.prio[q], self.arrival[line[0]])
                if best < 0 or key < best_key:
                    best, best_key = line[0], key
        return best

    # --- pools ------------------------------------------------------------------------------

    def _leave_pools(self, s: int) -> None:
        for q in self.skills[s]:
            self.idle[q].pop(s, None)
            self.spare[q].pop(s, None)

    def _join_pools(self, s: int) -> None:
        """An available server joins the pools of the queues it can take one more contact of."""
        if not self.available[s]:
            return
        load = self.load[s]
        if load == 0:
            for q in self.skills[s]:
                self.idle[q][s] = None
            return
        for q in self.skills[s]:
            if self.conc[q] > 1 and load < min(self.limit[s], self.conc[q]):
                self.spare[q][s] = None

    # --- duty ---------------------------------------------------------------------------------

    def _shift_start(self, time: float, s: int, _: float) -> None:
        self.on_shift[s] = True
        self.pending[s] = None
        self._duty_start(time, s, 0.0)

    def _duty_start(self, time: float, s: int, _: float) -> None:
        """The server is on the floor (shift start or break end) and takes waiting contacts."""
        if not self.on_shift[s] or self.available[s]:
            return
        self.available[s] = True
        self.since[s] = time
        self._pull(s, time)

    def _break_start(self, time: float, s: int, length: float) -> None:
        if not self.available[s]:
            return
        self._stop(s, time, length)

    def _shift_end(self, time: float, s: int, _: float) -> None:
        self.on_shift[s] = False
        if self.available[s]:
            self._stop(s, time, math.inf)
        elif self.pending[s] is not None:
            self.pending[s] = math.inf

    def _stop(self, s: int, time: float, length: float) -> None:
        """Leave the floor now when free, else once the contacts in hand are finished."""
        self._leave_pools(s)
        self.pending[s] = length
        if self.load[s] == 0:
            self._go_off(s, time)

    def _go_off(self, s: int, time: float) -> None:
        length = self.pending[s]
        self.pending[s] = None
        self.available[s] = False
        self.spans.append((s, self.since[s], time))
        if length is not None and length < math.inf and self.on_shift[s]:
            self._push(time + length, _BREAK_END, s, 0.0)


def run_replication(floor: Floor, contacts: Contacts, duty: Duty) -> Trace:
    """Simulate one replication: every contact meets the servers on duty, in time order.

    Args:
        floor: queues, priorities, concurrency and every server's skills.
        contacts: the arrivals, sorted by time, with handle times and patience.
        duty: shifts and breaks of the servers who turned up.

    Returns:
        The trace of every contact (including the transfers to escalation queues) and the
        spans in which each server was available.
    """
    if contacts.arrival_s.size > 1 and (np.diff(contacts.arrival_s) < 0).any():
        raise ValueError("contacts must be sorted by arrival time")
    return _Run(floor, contacts, duty).run()
