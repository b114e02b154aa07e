"""Seeded benchmark campaigns built from the real unit registry (models/registry.py).

    python -m benchmarks.generate hanoi-full --seed 0 --out benchmarks/instances
    python -m benchmarks.generate national --seed 0 --out benchmarks/instances  # 34 files

Instances (all in campaign year 2025; nothing depends on today's date):
- ``hanoi-full``: the 14 units of scenarios/hanoi-2025.yaml, the rest of Hanoi's 15 departments
  (DOMAIN.md) and the 126 new communes and wards; 2 teams, 20 members.
- ``province-300``: 300 units of Thành phố Hồ Chí Minh (the largest province, 168 communes): its
  communes, departments and numbered public service units under them; 2 teams, 30 members.
- ``national``: one scenario per province (34), each with its departments and all its communes
  (3,321 in all); 2 teams each.
- ``units-1000``, ``units-10000`` (any ``units-N``, N >= 50): a synthetic campaign of N units (the
  departments, the country's communes in registry order, then numbered public service units) with
  one team of 10 members per 50 units. ASSUMPTION: beyond 20 teams each team covers its own region
  (every unit pinned to one team, H15), as a large campaign splits its units by area; up to 20
  teams any team may visit any unit.

Realism, all ASSUMPTIONS of the generator: leaders and deputies give 2 visit days a week, other
members 2-3; every member takes one block of leave (5-10 working days, mostly in summer), misses
a few single days (training, meetings), and leaders miss the monthly city meeting and the
People's Council sessions. Department names outside Hanoi follow the standard set of Nghị định
45/2025/NĐ-CP; public service units of province-300 are synthetic, numbered per department.
Capacity is then checked with benchmarks/capacity.py and, where the leads cannot carry the
visits, teams split into sub-teams (IV.1) led by senior members, so every window fits.
Same name and seed give byte-identical YAML.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from benchmarks.capacity import tightest
from models import registry
from models.loading import load_yaml, validate_scenario
from models.scenario import Scenario

INSTANCES = ("hanoi-full", "province-300", "national", "units-1000", "units-10000")
UNITS_PER_TEAM = 50  # a team of 10 members per 50 units (two teams stop fitting past ~200 units)
REGION_TEAMS = 20  # above this many teams, each unit is pinned to its region's team
ROOT = Path(__file__).resolve().parent.parent
HANOI_PLAN = ROOT / "scenarios" / "hanoi-2025.yaml"
YEAR = 2025
MAX_LOAD = 0.85  # highest share of the leads' capacity a window may need
COMMUNE_WINDOW = {"quarters": [3, 4]}
SUBJECTS = ("SNV", "SKHCN")  # CCHC and CĐS: both inspected at every unit

# IV.1: the seven agencies the teams draw on.
MEMBER_AGENCIES = {
    "VPUB": "Văn phòng UBND", "TTTP": "Thanh tra", "PVHCC": "Trung tâm Phục vụ hành chính công",
    "SNV": "Sở Nội vụ", "STP": "Sở Tư pháp", "SKHCN": "Sở Khoa học và Công nghệ",
    "STC": "Sở Tài chính",
}
# DOMAIN.md: Hanoi's 15 departments from 1/3/2025 (ids as in scenarios/hanoi-2025.yaml).
HANOI_DEPARTMENTS = {
    "SNV": "Sở Nội vụ", "STP": "Sở Tư pháp", "STC": "Sở Tài chính", "SCT": "Sở Công Thương",
    "SNNMT": "Sở Nông nghiệp và Môi trường", "SXD": "Sở Xây dựng",
    "SKHCN": "Sở Khoa học và Công nghệ", "SVHTT": "Sở Văn hóa và Thể thao",
    "SGDDT": "Sở Giáo dục và Đào tạo", "SYT": "Sở Y tế", "TTTP": "Thanh tra Thành phố",
    "VPUB": "Văn phòng UBND Thành phố", "SDTTG": "Sở Dân tộc và Tôn giáo", "SDL": "Sở Du lịch",
    "SQHKT": "Sở Quy hoạch - Kiến trúc",
}
# ASSUMPTION: the standard provincial departments (NĐ 45/2025/NĐ-CP), Thanh tra and VP UBND.
PROVINCE_DEPARTMENTS = {
    "SNV": "Sở Nội vụ", "STP": "Sở Tư pháp", "STC": "Sở Tài chính", "SCT": "Sở Công Thương",
    "SNNMT": "Sở Nông nghiệp và Môi trường", "SXD": "Sở Xây dựng",
    "SKHCN": "Sở Khoa học và Công nghệ", "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SGDDT": "Sở Giáo dục và Đào tạo", "SYT": "Sở Y tế", "TTTP": "Thanh tra tỉnh",
    "VPUB": "Văn phòng UBND tỉnh", "SDTTG": "Sở Dân tộc và Tôn giáo",
}
DEPARTMENT_WINDOWS = ({"quarters": [2, 3]}, {"quarters": [3, 4]}, {"quarters": [3]},
                      {"quarters": [4]})
PSU_WINDOWS = ({"quarters": [3]}, {"quarters": [3, 4]}, {"quarters": [4]})


@dataclass(frozen=True)
class Plan:
    """What one generated campaign is made of, before members are drawn."""

    title: str
    agencies: dict[str, str]
    units: list[dict[str, Any]]
    members_per_team: int
    base: dict[str, Any]  # campaign-level settings (calendar, rules, weights...)


# --- public API ---------------------------------------------------------------------------------


def generate(name: str, seed: int = 0) -> Scenario | dict[str, Scenario]:
    """The named benchmark instance(s), validated; ``national`` gives one scenario per province."""
    data = generate_data(name, seed)
    if name == "national":
        return {key: validate_scenario(d, f"{name}/{key}") for key, d in data.items()}
    return validate_scenario(data, name)


def generate_data(name: str, seed: int = 0) -> Any:
    """The raw scenario mapping(s): what the YAML files hold."""
    if name == "hanoi-full":
        return _campaign(_hanoi_full_plan(), random.Random(f"{name}:{seed}"))
    if name == "province-300":
        return _campaign(_province_300_plan(), random.Random(f"{name}:{seed}"))
    if name.startswith("units-") and name[6:].isdigit() and int(name[6:]) >= UNITS_PER_TEAM:
        return _campaign(_units_plan(int(name[6:])), random.Random(f"{name}:{seed}"),
                         teams_count=-(-int(name[6:]) // UNITS_PER_TEAM))
    if name == "national":
        return {f"{p.code}-{_slug(p.short_name)}":
                _campaign(_province_plan(p), random.Random(f"{name}:{seed}:{p.code}"))
                for p in registry.provinces()}
    raise ValueError(f"unknown instance {name!r}; use one of: {', '.join(INSTANCES)}")


def scenario_yaml(data: dict[str, Any]) -> str:
    """A generated scenario as YAML text (deterministic: insertion order, no timestamps)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110,
                          default_flow_style=None)


def write_instance(name: str, seed: int, out_dir: Path) -> list[Path]:
    """Write the instance's YAML file(s) into ``out_dir``; return their paths."""
    from scheduler.output.files import atomic_write_text

    data = generate_data(name, seed)
    files = ({f"{name}-{key}-s{seed}.yaml": d for key, d in data.items()} if name == "national"
             else {f"{name}-s{seed}.yaml": data})
    for file_name, content in files.items():  # validate everything before writing anything
        validate_scenario(content, file_name)
    return [atomic_write_text(out_dir / f, scenario_yaml(d)) for f, d in files.items()]


# --- the three plans ----------------------------------------------------------------------------


def _hanoi_full_plan() -> Plan:
    plan = load_yaml(HANOI_PLAN)
    hanoi = registry.find_province("Hà Nội")
    agencies = {a["id"]: a["name"] for a in plan["agencies"]}
    agencies |= {k: v for k, v in HANOI_DEPARTMENTS.items() if k not in agencies}
    agencies |= {k: f"{v} Thành phố" for k, v in MEMBER_AGENCIES.items() if k not in agencies}
    listed = {u["id"] for u in plan["units"]}
    departments = [_department(k, v, {"quarters": [3, 4]}) for k, v in HANOI_DEPARTMENTS.items()
                   if k not in listed]
    units = [*plan["units"], *departments, *_communes(hanoi)]
    base = {k: plan[k] for k in ("calendar", "rules", "weights")}
    return Plan(f"{plan['campaign']['name']} (benchmark hanoi-full)", agencies, units, 10, base)


def _province_300_plan() -> Plan:
    province = registry.find_province("Hồ Chí Minh")
    plan = _province_plan(province, departments=HANOI_DEPARTMENTS)
    psus = _public_service_units(300 - len(plan.units), HANOI_DEPARTMENTS)
    return Plan(plan.title.replace("benchmark national", "benchmark province-300"),
                plan.agencies, [*plan.units, *psus], 15, plan.base)


def _units_plan(count: int) -> Plan:
    """``count`` units: the departments, the communes of every province, then public service units."""
    departments = [_department(k, v, {"quarters": [3, 4]}) for k, v in HANOI_DEPARTMENTS.items()]
    communes = [u for p in registry.provinces() for u in _communes(p, with_address=False)]
    units = [*departments, *communes][:count]
    units += _public_service_units(count - len(units), HANOI_DEPARTMENTS)
    agencies = {**HANOI_DEPARTMENTS, **{k: v for k, v in MEMBER_AGENCIES.items()
                                         if k not in HANOI_DEPARTMENTS}}
    title = f"Kiểm tra CCHC, chuyển đổi số năm {YEAR} – {count} đơn vị (benchmark units-{count})"
    return Plan(title, agencies, units, 10, _default_base())


def _province_plan(province: registry.Province,
                   departments: dict[str, str] | None = None) -> Plan:
    departments = departments or (
        HANOI_DEPARTMENTS if province.code == "01" else _local_names(province, PROVINCE_DEPARTMENTS))
    agencies = {**departments, **{k: MEMBER_AGENCIES[k] for k in MEMBER_AGENCIES
                                  if k not in departments}}
    rng = random.Random(f"windows:{province.code}")  # windows belong to the province, not the seed
    units = [_department(k, v, rng.choice(DEPARTMENT_WINDOWS)) for k, v in departments.items()]
    units += _communes(province)
    title = f"Kiểm tra CCHC, chuyển đổi số năm {YEAR} – {province.name} (benchmark national)"
    return Plan(title, agencies, units, 9, _default_base())


def _local_names(province: registry.Province, names: dict[str, str]) -> dict[str, str]:
    """'Thanh tra tỉnh' becomes 'Thanh tra Thành phố' in a centrally-run city."""
    if not province.name.startswith("Thành phố"):
        return names
    return {k: v.replace(" tỉnh", " Thành phố") for k, v in names.items()}


def _default_base() -> dict[str, Any]:
    return {
        "calendar": {"country": "VN", "builtin_swaps": True},
        "rules": {"report_deadline_days": 5, "notice_lead_days": 5, "min_group_size": 4,
                  "lead_on_every_visit": True, "conflict_of_interest": True,
                  "commune_level_from": f"{YEAR}-07-01"},
    }


def _department(agency: str, name: str, window: dict[str, Any]) -> dict[str, Any]:
    # A member may not inspect their own agency, so its own subject agency cannot be required.
    required = [a for a in SUBJECTS if a != agency]
    return {"id": agency, "name": name, "kind": "department", "agency": agency,
            "window": window, "required_agencies": required}


def _communes(province: registry.Province, with_address: bool = True) -> list[dict[str, Any]]:
    units = registry.scenario_units(registry.new_units(province.code), COMMUNE_WINDOW,
                                    SUBJECTS, with_address=with_address)
    return [{k: v for k, v in u.items() if v is not None} for u in units]


def _public_service_units(count: int, departments: dict[str, str]) -> list[dict[str, Any]]:
    owners = list(departments.items())
    units = []
    for i in range(count):
        agency, name = owners[i % len(owners)]
        number = i // len(owners) + 1
        units.append({
            "id": f"DVSN-{agency}-{number:02d}", "name": f"Đơn vị sự nghiệp số {number} thuộc {name}",
            "kind": "public_service_unit", "agency": agency,
            "window": PSU_WINDOWS[i % len(PSU_WINDOWS)],
            "required_agencies": [a for a in SUBJECTS if a != agency],
        })
    return units


# --- members, unavailability and capacity ---------------------------------------------------------

TEAM_FORMED = date(YEAR, 5, 30)
PLAN_DATE = date(YEAR, 4, 23)
HORIZON_END = date(YEAR, 12, 31)
# ASSUMPTION: People's Council sessions the leaders attend (early July, early December).
COUNCIL_SESSIONS = ((date(YEAR, 7, 8), date(YEAR, 7, 10)), (date(YEAR, 12, 2), date(YEAR, 12, 4)))


def _campaign(plan: Plan, rng: random.Random, teams_count: int = 2) -> dict[str, Any]:
    teams: list[dict[str, Any]] = [
        {"id": f"D{i}", "name": f"Đoàn kiểm tra số {i}", "formed_on": TEAM_FORMED.isoformat(),
         "parallel_subteams": 1} for i in range(1, teams_count + 1)]
    if teams_count > REGION_TEAMS:  # each team its own region: consecutive units, one team
        for i, unit in enumerate(plan.units):
            unit["team"] = teams[i * teams_count // len(plan.units)]["id"]
    members = [m for i, team in enumerate(teams) for m in _team_members(team["id"], i, plan, rng)]
    data = {
        "schema": "kiemtra.scenario/1",
        "campaign": {"name": plan.title, "legal_basis": "BENCHMARK",
                     "plan_date": PLAN_DATE.isoformat(),
                     "horizon": {"start": PLAN_DATE.isoformat(), "end": HORIZON_END.isoformat()}},
        **{k: v for k, v in plan.base.items() if k == "calendar"},
        "agencies": [{"id": k, "name": v} for k, v in plan.agencies.items()],
        "teams": teams, "members": members, "units": plan.units,
        **{k: v for k, v in plan.base.items() if k != "calendar"},
        "solver": {"time_limit_s": 10, "workers": 1, "seed": 0},
    }
    # Capacity is fitted with groups of min_group_size (benchmarks/capacity.py): the whole team
    # on every visit would need several times the teams, so these campaigns send groups of four.
    data["rules"] = {**data.get("rules", {}), "group_policy": "minimum"}
    data["rules"].pop("leader_days_per_week", None)
    return _fit_capacity(data)


def _team_members(team: str, index: int, plan: Plan, rng: random.Random) -> list[dict[str, Any]]:
    lead_agency, deputy_agency = SUBJECTS if index % 2 == 0 else SUBJECTS[::-1]
    roles = [("leader", lead_agency, "Trưởng đoàn"), ("deputy", deputy_agency, "Phó trưởng đoàn"),
             ("secretary", lead_agency, "Thư ký")]
    # Both subject agencies are needed on every visit, so they send more people than the others.
    pool = [deputy_agency, "VPUB", "TTTP", lead_agency, "PVHCC", "STP", "STC"]
    for n in range(plan.members_per_team - len(roles)):
        roles.append(("member", pool[n % len(pool)], "Thành viên"))
    members = []
    for n, (role, agency, title) in enumerate(roles, start=1):
        senior = role in ("leader", "deputy")
        members.append({
            "id": f"{team}-{n:02d}", "label": f"{title} – {plan.agencies[agency]}",
            "agency": agency, "team": team, "role": role,
            "unavailable": _unavailability(rng, senior),
            "max_visits_per_week": 2 if senior else rng.choice((2, 3, 3)),
        })
    return members


def _unavailability(rng: random.Random, senior: bool) -> list[Any]:
    """Leave (one block), training or meeting days, and for leaders the city's fixed meetings."""
    leave_start = _weekday_on_or_after(date(YEAR, rng.choice((6, 7, 7, 8, 10)), rng.randint(1, 25)))
    days: list[Any] = [{"from": leave_start.isoformat(),
                        "to": (leave_start + timedelta(days=rng.randint(7, 13))).isoformat()}]
    singles = {_weekday_on_or_after(date(YEAR, rng.randint(6, 12), rng.randint(1, 28)))
               for _ in range(rng.randint(2, 4))}
    if senior:
        singles |= {_weekday_on_or_after(date(YEAR, month, 1)) for month in range(6, 13)}
        days += [{"from": a.isoformat(), "to": b.isoformat()} for a, b in COUNCIL_SESSIONS]
    return days + [d.isoformat() for d in sorted(singles)]


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _fit_capacity(data: dict[str, Any]) -> dict[str, Any]:
    """Split teams into sub-teams, then add sub-team leads, until every window fits MAX_LOAD."""
    for _ in range(40):
        worst = tightest(validate_scenario(data, "generated"))
        if worst.load <= MAX_LOAD:
            return data
        _add_capacity(data)
    raise RuntimeError(f"{data['campaign']['name']}: windows cannot be made to fit")


def _add_capacity(data: dict[str, Any]) -> None:
    """One step: a sub-team lead per team; a further parallel sub-team once leads exceed it."""
    for team in data["teams"]:
        members = [m for m in data["members"] if m["team"] == team["id"]]
        candidates = [m for m in members if m["role"] in ("secretary", "member")
                      and not m.get("can_lead_subteam")]
        if candidates:
            candidates[0]["can_lead_subteam"] = True
        leads = sum(1 for m in members if m["role"] in ("leader", "deputy")
                    or m.get("can_lead_subteam"))
        team["parallel_subteams"] = max(1, min(leads // 2, 4))
        _reinforce_subjects(members, data["agencies"])


def _reinforce_subjects(members: list[dict[str, Any]], agencies: list[dict[str, str]]) -> None:
    """Move one plain member of a well-represented agency to the scarcer subject agency."""
    counts = {a: sum(m["agency"] == a for m in members) for a in {m["agency"] for m in members}}
    scarce = min(SUBJECTS, key=lambda a: (counts.get(a, 0), a))
    movable = [m for m in members if m["role"] == "member" and m["agency"] not in SUBJECTS
               and counts[m["agency"]] > 1]
    if not movable:
        return
    member = movable[-1]
    name = next(a["name"] for a in agencies if a["id"] == scarce)
    member["agency"], member["label"] = scarce, f"Thành viên – {name}"


def _slug(text: str) -> str:
    return "-".join(registry.ascii_key(part) for part in text.split())


# --- CLI ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write seeded benchmark scenarios as YAML.")
    parser.add_argument("name", help=f"one of {', '.join(INSTANCES)} or units-N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/instances"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        paths = write_instance(args.name, args.seed, args.out)
    except ValueError as exc:  # an unknown name: argparse's usage error, exit 2
        parser.error(str(exc))
    units = sum(len(load_yaml(p)["units"]) for p in paths)
    print(f"{args.name} seed {args.seed}: {len(paths)} file(s), {units} units in "
          f"{time.perf_counter() - started:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
