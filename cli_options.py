"""The option groups several `wfm` commands share: the week's inputs, the plan's solver and
output options, the history interval and the holidays country."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def week_inputs(f: Callable[..., Any]) -> Callable[..., Any]:
    """--workbook, --history and --week, as `plan` and `requirements` take them."""
    f = click.option("--week", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="First day of the week (YYYY-MM-DD, on Center!week_start).")(f)
    f = click.option("--history", required=True, type=click.Path(path_type=Path),
                     help="The call history CSV.")(f)
    return click.option("--workbook", required=True, type=click.Path(path_type=Path),
                        help="The constraint workbook (.xlsx).")(f)


def plan_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--verify", "verify_rounds", type=click.IntRange(min=0), default=0,
                     is_flag=False, flag_value=3, show_default=True,
                     help="Re-solve up to K rounds (--verify alone: 3), raising each "
                          "queue-interval the simulation finds below target.")(f)
    f = click.option("--replications", type=click.IntRange(min=0), default=20,
                     show_default=True,
                     help="Simulated weeks of the roster; the planned service level is "
                          "theirs (0: do not simulate, Erlang per queue instead).")(f)
    f = click.option("--json", "as_json", is_flag=True,
                     help="Print summary.json on stdout (for scripts).")(f)
    f = click.option("--quiet", is_flag=True,
                     help="Print only errors and the plan folder's path.")(f)
    f = click.option("--seed", type=int, help="Solver seed (default: Center!seed).")(f)
    f = click.option("--workers", type=click.IntRange(min=0),
                     help="Solver threads, 0 = one per core (default: Center!solver_workers). "
                          "1 counts the time limit in CP-SAT's deterministic time: the same "
                          "inputs and seed give the same roster on any machine.")(f)
    limit_help = "Solver time limit in seconds (default: Center!solver_time_limit_s)."
    return click.option("--time-limit", type=click.FloatRange(min=1), help=limit_help)(f)


INTERVAL = click.option("--interval", type=click.Choice(["5", "10", "15", "30", "60"]),
                         default="30", show_default=True,
                         help="Interval in minutes; the history is re-aggregated to it.")


def _holiday_country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A country code the `holidays` package knows (e.g. IL), or None."""
    if value is None:
        return None
    import holidays

    code = value.upper()
    if code not in holidays.list_supported_countries():
        raise click.BadParameter(f"{value!r} is not a country code the holidays package "
                                 "knows — use ISO 3166 alpha-2, e.g. IL, US, GB")
    return code


HOLIDAYS = click.option(
    "--holidays", "holiday_country", callback=_holiday_country, metavar="COUNTRY",
    help="Public holidays of this country (e.g. IL) get their own profile and are not "
         "learned as normal days. Default: none.")
