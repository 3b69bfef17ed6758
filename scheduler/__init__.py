"""Scheduler stage: staffing math, requirements, the CP-SAT roster, and its checker.

    from scheduler.pipeline import PlanRequest, plan_week
    plan = plan_week(PlanRequest(workbook_path=..., history_path=..., week_start=...))
"""
