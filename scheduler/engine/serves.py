"""Per-person serves (issue 17 point 1; docs/staff.md#who-serves-which-queue): a named
person's `serves` narrows the queues their pool serves. The solve splits each pool whose
named people differ in serves into groups, one per distinct serves-list: the pool itself
keeps its name, its full serves-list, the people without serves of their own and every
hire (`max_hire`); each other list becomes a group `<pool>.<queue>...` with its people as
standing and no hire. The groups are pools of the plan like any others, so the plan's
queue split gives each slot's people of a group only to the queues the group serves, and
the named roster places each person within their group. The result is then told in the
contract pools again: shifts, the pools' rows, the answer and the staff figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from scheduler.engine.records import ENGLISH
from scheduler.models import PoolSummary, Result, Scenario
from scheduler.workload.loaded import LoadedScenario


@dataclasses.dataclass(frozen=True)
class ServesSplit:
    """A scenario's pools split by their people's serves."""

    loaded: LoadedScenario
    """The scenario with the groups as pools and each person in their group."""
    contract: dict[str, str]
    """Group name -> the contract pool it was split from (every pool and group)."""
    original: LoadedScenario


def _own_serves(sc: Scenario, person) -> tuple[str, ...] | None:
    """The queues a person serves when they differ from their pool's, in the channels'
    order; None when the person serves what the pool serves."""
    pool = next((p for p in sc.pools if p.name == person.pool), None)
    if person.serves is None or pool is None:  # (the staffing loop's dedicated teams)
        return None
    served = sc.queues_served(pool)
    mine = tuple(q for q in served if q in person.serves)
    return None if set(mine) == set(served) else mine


def split_by_serves(loaded: LoadedScenario) -> ServesSplit | None:
    """The split of the scenario's pools by their named people's serves; None when no
    person serves less than their pool (nothing to split)."""
    sc = loaded.scenario
    if sc.staff is None or not sc.channels:
        return None
    own = {p.id: _own_serves(sc, p) for p in sc.staff.people}
    if all(v is None for v in own.values()):
        return None
    taken = {p.name for p in sc.pools}
    pools, contract, group_of = [], {}, {}
    for pool in sc.pools:
        lists = list(dict.fromkeys(
            own[m.id] for m in sc.staff.people if m.pool == pool.name and own[m.id] is not None))
        groups = {}
        for i, queues in enumerate(lists):
            name = f"{pool.name}.{'.'.join(queues)}"
            if len(name) > 40 or name in taken:
                name = f"{pool.name[:32]}.serves{i + 1}"
            taken.add(name)
            groups[queues] = name
        own_count = {q: sum(1 for m in sc.staff.people if m.pool == pool.name
                            and own[m.id] == q) for q in lists}
        grouped = sum(own_count.values())
        pools.append(pool.model_copy(update={"standing": pool.standing - grouped}))
        contract[pool.name] = pool.name
        for queues, name in groups.items():
            pools.append(pool.model_copy(update={
                "name": name, "serves": list(queues), "standing": own_count[queues],
                "max_hire": 0, "cost_per_hire": 0.0,
                "handle_time_factor": {q: f for q, f in pool.handle_time_factor.items()
                                       if q in queues}}))
            contract[name] = pool.name
        for m in sc.staff.people:
            if m.pool == pool.name and own[m.id] is not None:
                group_of[m.id] = groups[own[m.id]]
    people = [m.model_copy(update={"pool": group_of.get(m.id, m.pool), "serves": None})
              for m in sc.staff.people]
    split = sc.model_copy(update={
        "pools": pools, "staff": sc.staff.model_copy(update={"people": people})})
    groups = tuple(name for name, pool in contract.items() if name != pool)
    return ServesSplit(dataclasses.replace(loaded, scenario=split, capped_pools=groups),
                       contract, loaded)


def solve_split(split: ServesSplit, solve: Callable[..., Result], **kw) -> Result:
    """Solve the split scenario and tell its result in the contract pools."""
    return in_contract_pools(split, solve(split.loaded, **kw))


def in_contract_pools(split: ServesSplit, result: Result) -> Result:
    """The result of the split scenario with every group's name back to its contract
    pool: the shifts' pool, one row per pool (the groups' rows added up), the answer's
    standing team, and the staff figures counted per contract pool."""
    from scheduler.engine.staff_stage import with_staff_figures

    back = split.contract
    shifts = [s.model_copy(update={"pool": back.get(s.pool, s.pool)}) if s.pool else s
              for s in result.shifts]
    s = result.summary
    rows: dict[str, PoolSummary] = {}
    for row in s.pools:
        name = back.get(row.name, row.name)
        if name in rows:
            a = rows[name]
            row = PoolSummary(name=name, standing=a.standing + row.standing,
                              rostered=a.rostered + row.rostered, hired=a.hired + row.hired,
                              paid_hours=round(a.paid_hours + row.paid_hours, 4),
                              overtime_hours=round(a.overtime_hours + row.overtime_hours, 4),
                              cost=round(a.cost + row.cost, 2))
        rows[name] = row.model_copy(update={"name": name})
    phrases = list(s.answer_phrases)
    for i, phrase in enumerate(phrases):
        if "team" in phrase.values:
            team = ", ".join(f"{r.name} {r.standing}" for r in rows.values() if r.standing)
            phrases[i] = phrase.model_copy(update={"values": {**phrase.values, "team": team}})
    summary = s.model_copy(update={
        "pools": list(rows.values()), "answer_phrases": phrases,
        "answer": ENGLISH.sentence(phrases) if phrases else s.answer,
        "message": s.message + "".join(f"; {n}" for n in group_notes(split, s.message))})
    out = result.model_copy(update={"shifts": shifts, "summary": summary})
    if s.status in ("optimal", "feasible") and result.shifts:
        hires = {h.pool: h.hires for h in s.hires_needed or []}
        hires = {p.name: hires.get(p.name, 0) for p in split.original.scenario.pools}
        out = with_staff_figures(split.original.scenario, out, hires)
    return out


def group_notes(split: ServesSplit, message: str) -> list[str]:
    """For a message that names a split pool or one of its groups: which of the pool's
    people work in which group (a pool that 'has 0 named staff available' may have
    people who serve only part of its queues)."""
    notes: list[str] = []
    if not message:
        return notes
    for pool in dict.fromkeys(split.contract.values()):
        groups = [g for g, p in split.contract.items() if p == pool and g != pool]
        if groups and any(repr(name) in message for name in [pool, *groups]):
            who = ", ".join(repr(g) for g in groups)
            notes.append(f"pool {pool!r}'s people who serve only some of its queues are "
                         f"rostered as {who} (counted on those queues only)")
    return notes
