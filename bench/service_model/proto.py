"""Issue-18 prototype: the roster model with Hall-type pooled coverage instead of the
per-queue allocation, grown by Hall separation and by simulation cuts.

The model is main's (`build_vars`, every rule of `RULES`, `add_cost`) with two rules
swapped out: `skills` (allocation variables, one queue per agent) and `queue_coverage`
(each queue its own Erlang number). In their place, for every (S, t) in the active set:

    sum_{pool p : skills(p) & S != {}} on_duty[p, t] + short[S, t] >= r(S, t)

penalised at AGENT_SHORT_CENTS per agent short (`family.pooled_requirements` gives r).
Rounds: solve; (1) add every (S, t) of the closed family (Hall over all subsets) the roster
violates; (2) simulate 10 replications and, for each queue-day below CUT_TARGET, raise
r({q}, t) by one in the intervals of that day where q simulates below its target; solve
again from the last roster (a hint).

    python bench/service_model/proto.py demo --limit 90 --rounds 3
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from collections import defaultdict

import pandas as pd
from common import agent_paid_hours, case_inputs, paid_hours, save, sim_levels, simulate
from family import agent_pools, family, neighbours, pooled_requirements, prune
from ortools.sat.python import cp_model

from inputs.domain import Role
from scheduler.roster.construct import apply_hint, construct_hint, weeks_from_solution
from scheduler.roster.cost import add_cost
from scheduler.roster.model import RosterProblem, RosterVars, build_vars, pool_of
from scheduler.roster.penalty import AGENT_SHORT_CENTS, Penalty
from scheduler.roster.polish import polish
from scheduler.roster.rules import RULES
from scheduler.roster.solve import _overtime, extract_roster

SWAPPED = {"skills", "queue_coverage"}
CUT_TARGET = 0.82  # a queue-day simulating below this (10 replications) gets cuts


class FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.first is None:
            self.first = self.wall_time


def add_hall_coverage(model: cp_model.CpModel, v: RosterVars, problem: RosterProblem,
                      reqs: dict[tuple[frozenset[str], int], int]) -> list[Penalty]:
    skills, _ = agent_pools(problem.workbook)
    penalties = []
    for (s, t), need in sorted(reqs.items(), key=lambda x: (x[0][1], sorted(x[0][0]))):
        terms = [v.on_duty[p, t] for p in sorted(neighbours(skills, s)) if (p, t) in v.on_duty]
        short = model.new_int_var(0, need, f"hall_short[{'+'.join(sorted(s))},{t}]")
        model.add(sum(terms) + short >= need)
        penalties.append(Penalty("hall_coverage", short, AGENT_SHORT_CENTS,
                                 "+".join(sorted(s)), t, need))
    return penalties


def greedy_problem(problem: RosterProblem, reqs) -> RosterProblem:
    """Main's greedy needs per-queue numbers: each queue's own requirement scaled so that
    the interval's total is the whole center's pooled requirement, never below the
    singleton's r({q}) share of one (ceil)."""
    center = frozenset(q.queue_id for q in problem.workbook.queues)
    total: dict[int, int] = {}
    for (q, t), n in problem.queue_required.items():
        total[t] = total.get(t, 0) + n
    scaled = {}
    for (q, t), n in problem.queue_required.items():
        pooled = reqs.get((center, t), total[t])
        scaled[q, t] = math.ceil(n * pooled / total[t]) if total[t] else 0
    return dataclasses.replace(problem, queue_required=scaled)


def first_roster(problem: RosterProblem, reqs, polish_s: float = 0.0):
    t0 = time.monotonic()
    gp = greedy_problem(problem, reqs)
    weeks = construct_hint(gp, seed=0, threads=2)
    greedy_s = time.monotonic() - t0
    if polish_s > 0 and weeks is not None:
        weeks, _ = polish(gp, weeks, 0, 2, deadline=time.monotonic() + polish_s, passes=3)
    return weeks, round(greedy_s, 1), round(time.monotonic() - t0, 1)


def polish_hall(problem: RosterProblem, reqs, weeks: dict, passes: int, seconds: float,
                seed: int = 0) -> tuple[dict, int]:
    """Main's polish idea under Hall coverage: each agent's week re-solved alone (every hard
    rule, its cost) against what the others leave. With the others fixed, agent e on duty
    at t lowers the shortfall of every cell (S, t) whose residual r(S, t) - others(S, t) is
    at least 1 and whose S meets e's skills, by exactly one each: so the sub-model is the
    agent's rules, minimize cost - sum_t AGENT_SHORT_CENTS * open_cells(t) * on_duty[t].
    """
    import random

    from scheduler.roster.construct import read_weeks
    skills, _ = agent_pools(problem.workbook)
    agents = [e for e in problem.workbook.employees if e.role is Role.AGENT]
    pool = {e.employee_id: pool_of(e) for e in agents}
    nb = {s: neighbours(skills, s) for s in {s for s, _ in reqs}}
    cells_of_pool: defaultdict[str, list] = defaultdict(list)
    for (s, t), n in reqs.items():
        for p in nb[s]:
            cells_of_pool[p].append((s, t, n))
    have: defaultdict[tuple[str, int], int] = defaultdict(int)
    for e in agents:
        for t, n in weeks[e.employee_id].on_duty.items():
            have[pool[e.employee_id], t] += n
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)
    better = 0
    for _ in range(passes):
        order = agents[:]
        rng.shuffle(order)
        for e in order:
            if time.monotonic() > deadline:
                return weeks, better
            eid = e.employee_id
            mine = weeks[eid].on_duty
            for t, n in mine.items():
                have[pool[eid], t] -= n
            reward: defaultdict[int, int] = defaultdict(int)
            for s, t, n in cells_of_pool[pool[eid]]:
                if n - sum(have[p, t] for p in nb[s]) >= 1:
                    reward[t] += 1
            sub = dataclasses.replace(problem, workbook=dataclasses.replace(
                problem.workbook, employees=(e,)), queue_required={}, role_required={},
                loads={})
            model = cp_model.CpModel()
            v = build_vars(model, sub)
            for rule in RULES:
                if rule.rule_id not in SWAPPED | {"role_coverage"}:
                    rule.add(model, v, sub)
            cost = add_cost(model, v, sub)
            gain = sum(AGENT_SHORT_CENTS * r * v.on_duty[pool[eid], t]
                       for t, r in reward.items() if (pool[eid], t) in v.on_duty)
            model.minimize(cost - gain)
            apply_hint(model, v, sub, {eid: weeks[eid]}, [])
            old = weeks[eid].cost - AGENT_SHORT_CENTS * sum(reward[t] for t, n in mine.items() if n)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = 1.0
            solver.parameters.max_time_in_seconds = 4.0
            solver.parameters.random_seed = seed
            if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE) and \
                    solver.objective_value < old - 0.5:
                weeks[eid] = read_weeks(solver, v, (e,), problem.interval)[eid]
                better += 1
            for t, n in weeks[eid].on_duty.items():
                have[pool[eid], t] += n
    return weeks, better


def solve(problem: RosterProblem, reqs, limit: float, hint: dict | None, workers: int = 2):
    t0 = time.monotonic()
    model = cp_model.CpModel()
    v = build_vars(model, problem)
    penalties: list[Penalty] = []
    for rule in RULES:
        if rule.rule_id not in SWAPPED:
            penalties.extend(rule.add(model, v, problem))
    penalties.extend(add_hall_coverage(model, v, problem, reqs))
    cost = add_cost(model, v, problem)
    model.minimize(cost + sum(p.weight * p.var for p in penalties))
    if hint:
        apply_hint(model, v, problem, hint, penalties)
    built = time.monotonic() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    cb = FirstSolution()
    code = solver.solve(model, cb)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    roster = extract_roster(solver, v, problem)
    cost_eur = sum(a.cost for a in roster.assignments) + _overtime(roster, problem)
    short = defaultdict(int)
    for p in penalties:
        n = solver.value(p.var)
        if n:
            short[p.rule] += n
    duty = {key: solver.value(var) for key, var in v.on_duty.items()}
    return dict(
        roster=roster, cost=round(cost_eur, 2), objective=solver.objective_value / 100,
        bound_cp_sat=solver.best_objective_bound / 100, short=dict(short),
        penalty=sum(p.weight * solver.value(p.var) for p in penalties) / 100,
        build_s=round(built, 1), first_s=None if cb.first is None else round(built + cb.first, 1),
        solve_s=round(solver.wall_time, 1), status=solver.status_name(code),
        hint=weeks_from_solution(solver, v, problem), on_duty=duty,
        variables=len(model.proto.variables), constraints=len(model.proto.constraints))


def hall_violations(problem, duty, closed_reqs, active) -> dict:
    skills, _ = agent_pools(problem.workbook)
    nb = {}
    out = {}
    for (s, t), need in closed_reqs.items():
        if (s, t) in active:
            continue
        if s not in nb:
            nb[s] = sorted(neighbours(skills, s))
        have = sum(duty.get((p, t), 0) for p in nb[s])
        if have < need:
            out[s, t] = need
    return out


def sim_cuts(problem: RosterProblem, levels: dict[str, pd.DataFrame], strong: bool = False
             ) -> dict:
    """+1 on r({q}, t) in each interval of a failing queue-day where q is below target."""
    cuts = {}
    days = levels["day"]
    bad = days[days["sim"] < CUT_TARGET]
    iv = levels["interval"]
    targets = {q.queue_id: q.service_level for q in problem.workbook.queues}
    start = pd.Timestamp(problem.week_start)
    step = pd.Timedelta(minutes=problem.interval)
    for _, row in bad.iterrows():
        cells = iv[(iv["queue"] == row["queue"])
                   & (iv["interval_start"].dt.normalize() == row["day"])]
        low = cells[cells["sim"] < targets[row["queue"]]]
        for ts, level in zip(low["interval_start"], low["sim"], strict=True):
            cuts[frozenset([row["queue"]]), int((ts - start) // step)] = (
                2 if strong and level < 0.6 else 1)
    return cuts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=["demo", "flex"])
    ap.add_argument("--family", default="basic", choices=["single", "basic", "closed"])
    ap.add_argument("--limit", type=float, default=90)
    ap.add_argument("--round-limit", type=float, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tag", default="")
    ap.add_argument("--start", default="greedy", choices=["greedy", "none"])
    ap.add_argument("--hall-polish", type=float, default=0.0, help="seconds of Hall polish")
    ap.add_argument("--polish-passes", type=int, default=3)
    ap.add_argument("--strong-cuts", action="store_true", help="+2 where a cell simulates < 60%%")
    args = ap.parse_args()
    wb, forecast, _, problem = case_inputs(args.case)
    skills, _ = agent_pools(wb)
    sets = family(wb, args.family)
    base = prune(pooled_requirements(problem, sets), skills)
    closed = pooled_requirements(problem, family(wb, "closed"))
    extra: dict = {}
    active = dict(base)
    hint, greedy_s, start_s = None, None, None
    if args.start == "greedy":
        hint, greedy_s, start_s = first_roster(problem, base, 0)
        print(f"greedy start {greedy_s} s", flush=True)
        if args.hall_polish > 0:
            t0 = time.monotonic()
            hint, better = polish_hall(problem, base, hint, args.polish_passes, args.hall_polish)
            start_s = round(greedy_s + time.monotonic() - t0, 1)
            print(f"Hall polish: {better} weeks improved, first roster at {start_s} s",
                  flush=True)
    history = []
    for rnd in range(args.rounds + 1):
        reqs = dict(active)
        for key, n in extra.items():
            reqs[key] = reqs.get(key, 0) + n
        t0 = time.monotonic()
        if rnd > 0 and args.hall_polish > 0 and hint is not None:
            hint, _ = polish_hall(problem, reqs, hint, 1, args.hall_polish / 2, seed=rnd)
        out = solve(problem, reqs, args.limit if rnd == 0 else args.round_limit, hint)
        if out is None:
            print("no solution", flush=True)
            break
        sim, sim_s = simulate(wb, out["roster"], forecast, reps=20)
        lv = sim_levels(sim)
        worst = lv["day"].sort_values("sim").iloc[0]
        rec = dict(round=rnd, cells=len(reqs), cost=out["cost"], objective=out["objective"],
                   penalty=out["penalty"], short=out["short"], paid_h=round(paid_hours(
                       out["roster"]), 1), agent_paid_h=round(agent_paid_hours(out["roster"], wb), 1),
                   greedy_s=greedy_s if rnd == 0 else None,
                   start_s=start_s if rnd == 0 else None,
                   build_s=out["build_s"], first_s=out["first_s"], solve_s=out["solve_s"],
                   status=out["status"], bound_cp_sat=out["bound_cp_sat"],
                   sim_overall=round(lv["overall"], 4), sim_s=round(sim_s, 1),
                   worst_day=f"{worst['queue']} {worst['day']:%a} {worst['sim']:.3f}",
                   days_below_80=int((lv["day"]["sim"] < 0.80).sum()),
                   min_week=round(float(lv["week"]["sim"].min()), 4),
                   variables=out["variables"], constraints=out["constraints"])
        print(rec, flush=True)
        history.append(rec)
        save(f"proto_{args.case}{args.tag}_r{rnd}", dict(
            rec=rec, roster=out["roster"], on_duty=out["on_duty"], levels=lv, reqs=reqs))
        hint = out["hint"]
        if rnd == args.rounds:
            break
        viol = hall_violations(problem, out["on_duty"], closed, active)
        cuts = sim_cuts(problem, lv, args.strong_cuts)
        print(f"round {rnd}: {len(viol)} Hall violations (closed family) added, "
              f"{len(cuts)} simulation cuts", flush=True)
        active.update(viol)
        for key, n in cuts.items():
            extra[key] = extra.get(key, 0) + n
        if not viol and not cuts:
            break
    print(pd.DataFrame(history).to_string())


if __name__ == "__main__":
    main()
