"""One id per rule, shared by the solver's rules, the checker's violations and the reports.

A rule the solver models and the checker re-checks carries the same id on both sides, so a
violation, a broken soft rule and a report line can be matched by id. Ids only the checker
uses (its own consistency checks of a roster) follow the solver's.
"""

# The solver's rules (scheduler.roster RULES), hard then soft.
AVAILABILITY = "availability"
WEEKLY_HOURS = "weekly_hours"
MAX_DAYS = "max_days"
CONSECUTIVE_DAYS = "consecutive_days"
MIN_REST = "min_rest"
BREAKS = "breaks"
SHORT_BREAKS = "short_breaks"
SKILLS = "skills"
FIXED_SHIFTS = "fixed_shifts"
WEEKLY_REST = "weekly_rest"
CONSECUTIVE_DAYS_ACROSS_WEEKS = "consecutive_days_across_weeks"
REST_AFTER_PREVIOUS_WEEK = "rest_after_previous_week"
QUEUE_COVERAGE = "queue_coverage"
SERVICE_LEVEL_SPAN = "service_level_span"
ROLE_COVERAGE = "role_coverage"
PREFERENCES = "preferences"
FAIR_SPREAD = "fair_spread"
SAME_START = "same_start"

# The checker's own consistency checks of a finished roster.
UNKNOWN_EMPLOYEE = "unknown_employee"
SHIFT_DAY = "shift_day"
ONE_SHIFT_PER_DAY = "one_shift_per_day"
OVERLAP = "overlap"
INTERVAL_GRID = "interval_grid"
SHIFT_ORDER = "shift_order"
SHIFT_LENGTH = "shift_length"
SHIFT_STEP = "shift_step"
CONTRACT_WINDOW = "contract_window"
OPENING_HOURS = "opening_hours"
PAID_HOURS = "paid_hours"
COST = "cost"
ALLOCATION_QUEUE = "allocation_queue"
ALLOCATION_SKILL = "allocation_skill"
ALLOCATION_TOTAL = "allocation_total"
ALLOCATION_FLOW = "allocation_flow"
