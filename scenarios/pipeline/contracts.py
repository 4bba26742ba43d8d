"""The tables the pipeline's stages hand each other (STYLE.md section 3).

``run_scenario`` runs one scenario through six stages::

    demand -> requirements -> schedule -> simulate -> cost -> summary

Each stage takes and returns long tables: one row per key, keys as ordinary
columns (default ``RangeIndex``), one measure per column. The keys are
``channel`` (a channel's name as in the scenario file) or ``group`` (an agent
group of ``agents:``; one per channel when the file has none) and
``interval_start`` (tz-aware, in the scenario's time zone, the left edge of
``[interval_start, interval_start + interval_s)``). Every table has a row for
every key of the scenario and every interval of its horizon, channels (groups)
in file order and intervals in time order. Durations are float seconds
(``_s``), fractions 0-1. No stage reads meaning into the order of rows: they
look values up by key.

The tables the stages return to the user (``ScenarioResult.intervals``,
``channels``, ``totals``, ``cost_breakdown``) are described in
"Result tables" below; the simulator's ``sim_intervals`` in
:func:`simulator.simulate`.

Tables
------
``demand`` (:data:`DEMAND_COLUMNS`; demand stage, :func:`scenarios.pipeline.scenario_demand`)
    The contacts as they would arrive 24x7: ``offered`` (expected contacts,
    float, >= 0) and ``aht_s`` (s, > 0), after ``volume_scale``,
    ``aht_scale`` and ``channel_shift``.
``centre_demand`` (:data:`CENTRE_DEMAND_COLUMNS`; demand stage)
    What the centre sees under its opening hours: ``offered`` (contacts
    offered to the queue: arrivals while open plus retries of closed hours;
    deferred work keeps every arrival), ``aht_s`` (s), ``is_open`` (bool).
``flows`` (:data:`FLOW_COLUMNS`; demand stage, also ``ScenarioResult.flows``)
    Where the contacts went (contacts, float): ``arrived`` =
    ``arrived_while_open`` + ``arrived_while_closed``; of those arriving
    while closed, ``retried`` (after the next opening), ``lost_closed``
    and ``diverted`` (served elsewhere); ``retries_landing`` (retries offered
    in this interval), ``offered`` = ``arrived_while_open`` +
    ``retries_landing``, ``retry_beyond_horizon`` (retries whose next
    opening is past the horizon); ``is_open``. Over the horizon: arrived =
    offered + lost_closed + diverted + retry_beyond_horizon. Deferred work
    arriving while closed waits in its queue (offered, never lost). The
    model is :func:`scenarios.pipeline.closed_hours_demand`'s.
``requirements`` (:data:`REQUIREMENT_COLUMNS`; requirements stage)
    ``agents_required`` (int): agents on the queue a channel needs for its
    target (Erlang C, Erlang A or the deferred-work backlog rule), 0 while
    closed, plus the agents ``method: simulation`` added where a simulated
    interval missed the target.
``group_staffing`` (:data:`GROUP_STAFFING_COLUMNS`; schedule stage, key ``group``)
    ``agents_required`` (int, the sum over the group's home channels),
    ``agents_on_duty`` (agents the schedule has on duty and off break, float)
    and ``agents_on_queue`` (int, on duty less shrinkage, rounded down).
``channel_staffing`` (:data:`CHANNEL_STAFFING_COLUMNS`; schedule stage)
    ``agents_on_queue`` (float): the channel's share of its home group's
    agents on the queue, by requirement (by workload where the group needs
    nobody); fractional when a group serves several channels.
``verdict`` (:data:`VERDICT_COLUMNS`; simulate stage)
    ``is_judged`` (bool: an open interval of a live channel with simulated
    contacts), ``service_level`` (answered within target / offered, both
    summed over the replications, 0-1; NaN where not judged) and ``is_miss``
    (bool: judged and below the channel's target). ``method: simulation``
    adds an agent on the queue to the requirement of every missed interval.
``rounds`` (:data:`ROUND_COLUMNS`; ``ScenarioResult.rounds``, key ``round``)
    One row per staffing round (one unless ``method: simulation``):
    ``round`` (0, 1, ...), ``agents_added`` (agent-intervals added to the
    requirement before this round's schedule; 0 in round 0),
    ``requirement_agent_intervals`` (the requirement's sum),
    ``cost`` (the schedule's cost as its solver reports it, currency),
    ``schedule_status``, ``mip_gap``, and from the round's simulation
    (missing without one): ``n_judged``, ``n_missed`` (intervals),
    ``worst_service_level`` (0-1, the lowest judged), ``worst_channel``,
    ``worst_interval_start``. The last row with ``n_missed == 0`` means the
    plan met the target in every judged interval.
``interval_kpis`` (:data:`INTERVAL_KPI_COLUMNS`; summary stage)
    ``is_judged`` (bool; deferred work whose deadline falls after the horizon
    is not judged), the analytic prediction at the channel's whole agents
    (``handled_erlang`` contacts, ``service_level_erlang``, ``asa_s_erlang``
    s, ``abandon_rate_erlang``, ``occupancy_erlang``), and the measures the
    result reports: ``service_level``, ``asa_s``, ``abandon_rate`` with their
    95 % bounds (``_low``, ``_high``; ``simulator.mean_interval``),
    ``mean_queue`` (contacts) and ``occupancy``, simulated when the scenario
    simulates, else analytic (bounds and ``mean_queue`` NaN).
``costs`` (:data:`COST_COLUMNS`; cost stage)
    ``cost`` (scenario currency): each group's staff cost per interval,
    shared among its channels by workload (offered x AHT / concurrency).

Result tables
-------------
:func:`scenarios.run_scenario` returns one ``ScenarioResult`` per scenario,
variant and sweep point. The reports, ``ccplan compare``,
``ccplan check`` and the dashboard read only these tables.

Tables (one row per key, default ``RangeIndex``; durations in seconds,
fractions 0-1, money in the scenario's currency; ``scenario`` is the
result's name in every table):

``intervals`` -- key ``scenario``, ``channel``, ``interval_start`` (tz-aware,
left edge of ``[interval_start, interval_start + interval_s)``):

- ``is_open`` (bool): the centre answers this channel in the interval.
- ``offered`` (contacts, float): expected contacts the centre sees (after
  closed-hours losses and retries). ``aht_s`` (s).
- ``agents_required`` (int): agents on the queue needed for the target
  (analytic), 0 while closed.
- ``agents_on_queue`` (float): agents on the queue for the channel (after
  shrinkage; a blended pool's agents are shared among its channels in
  proportion to their requirement, so it can be fractional).
- ``service_level_erlang``, ``asa_s_erlang``, ``abandon_rate_erlang``: the
  analytic (Erlang C or A) prediction at ``agents_on_queue``. ``asa_s`` is
  the ASA (average speed of answer) everywhere: the mean wait of ANSWERED
  contacts, seconds, analytic and simulated alike; ``abandon_rate`` is
  abandoned / offered.
- ``service_level``, ``asa_s``, ``abandon_rate``, ``mean_queue`` (mean
  contacts waiting), ``occupancy``: simulated means over replications when
  the scenario simulates, else the analytic values (``mean_queue`` NaN).
  NaN where nothing was offered, and for deferred work where the contacts'
  deadline falls after the horizon. Occupancy is simulated per channel for
  dedicated teams; agents shared by a group are measured per group, so a
  shared channel's ``occupancy`` is the analytic value and the ``totals``
  row carries the groups' simulated occupancy.
- ``service_level_low``/``_high``, ``asa_s_low``/``_high``,
  ``abandon_rate_low``/``_high``: 95 % confidence interval of the simulated
  mean (NaN without simulation or without two replications with contacts),
  kept in the quantity's range: Wilson's interval at the effective sample
  size for fractions, a t-interval on the log scale for waits
  (``simulator.mean_interval``; docs/validation.md).
- ``cost`` (currency): staff cost allocated to the channel and interval.
- Only when a channel of the scenario has the behaviour (``BEHAVIOUR_COLUMNS``;
  its other channels count no hang-up and no redial): ``hung_up`` (contacts that hung up whatever
  the wait, ``hang_up:``; among ``abandoned``); with ``redial:``,
  ``first_attempts`` (customers' first calls: the contacts the centre sees,
  less the closed-hours retries, which are redials of their customers),
  ``redials`` (contacts calling again after an abandon or a closed centre;
  ``offered`` = ``first_attempts`` + ``redials``, so ``offered`` counts
  calls) and ``first_attempts_answered_share`` (0-1: first attempts answered
  at that attempt / first attempts). Analytic: the fixed point of
  ``staffing.queue_kpis`` at ``agents_on_queue`` (hang-ups leave at once);
  simulated: the plan's first attempts plus the mean simulated redials, the
  hang-ups and first attempts answered as shares pooled over replications.
  With ``callback:``, ``callbacks_offered``, ``callbacks_accepted`` and
  ``callbacks_kept`` (contacts: callers offered a callback, those who took
  it, and the callbacks made within the promise), by the interval of the
  original call; simulated only (NaN without simulation), on the plan's
  basis (``offered`` times their simulated shares). The service level and
  abandon rate follow the channel's ``service_level`` (``excluded``: over the
  callers who stayed on the line; ``promise``: a callback made within the
  promise is answered in time), and ``handled`` counts the callbacks made.
  Simulated redials may land while the centre is closed (the simulated
  callers do not know the hours: they wait with nobody to answer, abandon and
  may redial again); they count in ``offered``, ``abandoned`` and ``redials``,
  but a channel with redials has its service level judged in open intervals
  only (NaN while closed), as the closed hours' arrivals never count in it.

``channels`` -- key ``scenario``, ``channel``: ``offered``, ``handled``,
``abandoned`` (contacts over the horizon; with simulation, ``offered`` times
the simulated shares answered and abandoned, so ``handled + abandoned <=
offered``); ``service_level``,
``service_level_low``, ``service_level_high``, ``asa_s``, ``asa_s_low``,
``asa_s_high``, ``abandon_rate``, ``abandon_rate_low``,
``abandon_rate_high``, ``occupancy`` (busy time over the agents' time on the
queue over the horizon: the simulator's busy / paid for dedicated teams, else
the analytic intervals weighted by their agents; deferred work: the work done
over the agents' time); ``service_level_target`` and
``answer_within_s`` (the channel's target); ``open_intervals_meeting_target``
(share of open intervals with contacts whose service level reaches the
target, 0-1); ``cost``, ``cost_per_contact`` (cost / offered),
``cost_per_handled``; then the behaviour columns of ``intervals`` summed over
the horizon (``first_attempts_answered_share`` weighted by the first attempts;
with simulation, ``hung_up`` is ``abandoned`` times the simulated hang-ups'
share of the abandons, as ``abandoned`` is a ratio over the horizon);
``totals`` (and ``summary.json``'s totals) sum them over all channels too.

``totals`` -- one row, key ``scenario``: the ``channels`` measures over all
channels (service level weighted by contacts offered; ASA by contacts
answered, over the live channels only: deferred work's waits of hours are
left out; occupancy by the agents' time, or the shared groups' simulated
busy / paid) and ``fte``,
``paid_hours`` (h), ``headcount`` (agents; NaN without a shift schedule),
``weekly_cost``, ``annual_cost`` (cost scaled from the horizon's length),
``budget`` (NaN when none), ``budget_period`` (``"week"``, ``"year"`` or
``""``), ``cost_vs_budget`` (the plan's cost over the budget's period / the
budget; NaN when none).

``cost_breakdown`` -- key ``scenario``, ``component``: ``amount`` (currency)
and ``share`` (0-1) of the horizon's cost, components as finance reads them
(wages, premiums, overhead; the time bought: handling, idle, shrinkage,
paid breaks), with a ``group`` column (``"component"`` or ``"use"``).

``shifts`` -- the schedule's shifts (``shift_id``, ``template``,
``shift_start``, ``duration_s``, ``headcount``), empty without a schedule.

``flows`` -- key ``scenario``, ``channel``, ``interval_start``: where the
contacts went under the opening hours (arrived, lost or diverted while
closed, retried, offered; the ``flows`` table of
:mod:`scenarios.pipeline.contracts`).

``rounds`` -- key ``scenario``, ``round``: one row per staffing round, several
with ``method: simulation`` (the ``rounds`` table of
:mod:`scenarios.pipeline.contracts`).

Capacity tables
---------------
:func:`scenarios.pipeline.run_capacity` returns a ``CapacityResult`` (also
``ScenarioResult.capacity``) for a scenario with a ``capacity:`` block: weeks
numbered 0 .. n-1 from ``start`` (a Monday), money in the scenario's currency,
FTE in full-time equivalents of ``hours_per_fte_week``, fractions 0-1. The
columns of each table are :data:`CAPACITY_COLUMNS` ``[table]``.

``weekly`` -- key ``group``, ``week``: the supply engine's weekly table
(``staffing.capacity.CapacityPlan``: ``headcount``, ``trainees`` (agents,
start of week, expected, fractional); the flows ``hires``, ``graduates``,
``training_dropouts``, ``leavers``, ``transfers_in``, ``transfers_out``;
``fte_on_floor`` (contracted), ``available_fte`` (productive, after the ramp
and shrinkage), ``required_fte`` (productive: the representative week's
agent-hours on the queue / ``hours_per_fte_week``, summed over the group's
channels), ``gap_fte``, ``overtime_fte``, ``short_fte``, ``coverage``
((available + overtime) / required, capped at 1); ``wages``, ``hiring_cost``,
``training_cost``, ``overtime_cost``, ``cost`` (their sum), ``short_penalty``),
with ``week_start`` (Monday, naive), ``shrinkage`` (the week's total, 0-1),
``required_fte_lo``, ``required_fte_hi`` (the requirement at the demand's
prediction interval) and ``coverage_probability`` (share of the Monte Carlo
runs whose available + overtime FTE covers the requirement; NaN without
``risk:``).

``channels`` -- key ``channel``, ``week``: ``group``, ``week_start``,
``offered`` (contacts the centre sees in the week: the week's arrivals under the
opening hours and closed-hours rules), ``offered_lo``, ``offered_hi`` (the
prediction interval, on the same basis), ``aht_s`` (s), ``required_fte``,
``expected_service_level`` (0-1: the analytic service level of the
representative week at the required agents times the group's ratio of available
+ overtime to required FTE, a fractional agent blending the whole-agent
service levels below and above by its fraction; NaN when nothing is
offered) and ``handled`` (contacts).

``monthly`` -- key ``month`` (first day of the month, naive), ``group`` (each
group, then ``"all"``): ``days`` (days of the plan in the month); the stocks
``headcount``, ``fte_on_floor``, ``available_fte``, ``required_fte`` as
day-weighted means; the flows and money ``hires``, ``graduates``, ``leavers``,
``wages``, ``hiring_cost``, ``training_cost``, ``overtime_cost``, ``cost``,
``offered``, ``handled`` summed with each week split across months by its days;
``cost_per_contact`` (cost / offered), ``cost_per_handled``, ``budget`` (on the
``"all"`` rows: ``capacity.budget.by_month``, else the scenario's budget by
days; NaN otherwise) and ``cost_vs_budget``.

``classes`` -- one row per hiring class: the engine's ``group``,
``start_week``, ``size``, ``training_weeks``, ``graduation_share``,
``first_floor_week``, ``graduates``, and ``start_date``, ``first_floor_date``
(Mondays).

``summary`` (a dict): the engine's summary (``cost``, ``wages``,
``hiring_cost``, ``training_cost``, ``overtime_cost``, ``short_penalty``,
``objective``, ``hires_total``, ``short_fte_weeks``, ``overtime_fte_weeks``,
``min_weekly_coverage``, ``n_weeks``; when optimised the solver's ``status``,
``mip_gap``, ``dual_bound``, ...), and ``scenario``, ``currency``, ``start``
(ISO date), ``plan`` (``"given"`` or ``"optimise"``), ``annual_cost`` (the
first 52 weeks' cost x 365.25 / 364, or the plan's cost scaled to a year when
it is shorter), ``annual_cost_basis`` (which), ``min_coverage_probability``
and ``insurance_cost`` (NaN without ``risk:``), ``first_week_meeting_target``
(the first week from which every channel's expected service level reaches its
target; ``None`` if none), ``grid_step`` and ``weeks_sized`` (requirements
runs of the representative week: what the grid cache saved).
"""

#: Columns of the ``demand`` table.
DEMAND_COLUMNS = ("channel", "interval_start", "offered", "aht_s")
#: Columns of the ``centre_demand`` table.
CENTRE_DEMAND_COLUMNS = ("channel", "interval_start", "offered", "aht_s", "is_open")
#: Columns of the ``flows`` table.
FLOW_COLUMNS = ("channel", "interval_start", "is_open", "arrived", "arrived_while_open",
                "arrived_while_closed", "retried", "lost_closed", "diverted",
                "retry_beyond_horizon", "retries_landing", "offered")
#: Columns of the ``requirements`` table.
REQUIREMENT_COLUMNS = ("channel", "interval_start", "agents_required")
#: Columns of the ``group_staffing`` table.
GROUP_STAFFING_COLUMNS = ("group", "interval_start", "agents_required", "agents_on_duty",
                          "agents_on_queue")
#: Columns of the ``channel_staffing`` table.
CHANNEL_STAFFING_COLUMNS = ("channel", "interval_start", "agents_on_queue")
#: Columns of the ``verdict`` table.
VERDICT_COLUMNS = ("channel", "interval_start", "is_judged", "service_level", "is_miss")
#: Columns of the ``rounds`` table.
ROUND_COLUMNS = ("round", "agents_added", "requirement_agent_intervals", "cost",
                 "schedule_status", "mip_gap", "n_judged", "n_missed", "worst_service_level",
                 "worst_channel", "worst_interval_start")
#: Columns of the ``interval_kpis`` table.
INTERVAL_KPI_COLUMNS = (
    "channel", "interval_start", "is_judged", "handled_erlang",
    "service_level_erlang", "asa_s_erlang", "abandon_rate_erlang", "occupancy_erlang",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high",
    "mean_queue", "occupancy",
)
#: Columns of the ``costs`` table.
COST_COLUMNS = ("channel", "interval_start", "cost")

#: Columns of ``ScenarioResult.intervals``, in order.
INTERVAL_COLUMNS = (
    "scenario", "channel", "interval_start", "is_open", "offered", "aht_s",
    "agents_required", "agents_on_queue",
    "service_level_erlang", "asa_s_erlang", "abandon_rate_erlang",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high",
    "mean_queue", "occupancy", "cost",
)

#: Columns of ``ScenarioResult.channels``, in order.
CHANNEL_COLUMNS = (
    "scenario", "channel", "offered", "handled", "abandoned",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high", "occupancy",
    "service_level_target", "answer_within_s", "open_intervals_meeting_target",
    "cost", "cost_per_contact", "cost_per_handled",
)

#: Columns of ``ScenarioResult.totals``, in order.
TOTAL_COLUMNS = (
    "scenario", "offered", "handled", "abandoned", "service_level", "asa_s", "abandon_rate",
    "occupancy", "open_intervals_meeting_target", "cost", "cost_per_contact",
    "cost_per_handled", "fte", "paid_hours", "headcount", "weekly_cost", "annual_cost",
    "budget", "budget_period", "cost_vs_budget",
)

#: Columns ``ScenarioResult.intervals`` and ``channels`` gain at their end, by customer
#: behaviour, when a channel of the scenario has it (a file without it gets none of them).
BEHAVIOUR_COLUMNS = {
    "hang_up": ("hung_up",),
    "redial": ("first_attempts", "redials", "first_attempts_answered_share"),
    "callback": ("callbacks_offered", "callbacks_accepted", "callbacks_kept"),
}

#: Columns of ``ScenarioResult.cost_breakdown``, in order.
COST_BREAKDOWN_COLUMNS = ("scenario", "group", "component", "amount", "share")

#: Columns of the capacity plan's tables (``CapacityResult``), by table, in order.
CAPACITY_COLUMNS = {
    "weekly": ("group", "week", "week_start", "headcount", "trainees", "hires", "graduates",
               "training_dropouts", "leavers", "transfers_in", "transfers_out",
               "fte_on_floor", "shrinkage", "available_fte", "required_fte", "required_fte_lo",
               "required_fte_hi", "gap_fte", "overtime_fte", "short_fte", "coverage",
               "coverage_probability", "wages", "hiring_cost", "training_cost",
               "overtime_cost", "cost", "short_penalty"),
    "channels": ("channel", "group", "week", "week_start", "offered", "offered_lo",
                 "offered_hi", "aht_s", "required_fte", "expected_service_level", "handled"),
    "monthly": ("month", "group", "days", "headcount", "fte_on_floor", "available_fte",
                "required_fte", "hires", "graduates", "leavers", "wages", "hiring_cost",
                "training_cost", "overtime_cost", "cost", "offered", "handled",
                "cost_per_contact", "cost_per_handled", "budget", "cost_vs_budget"),
    "classes": ("group", "start_week", "size", "training_weeks", "graduation_share",
                "first_floor_week", "graduates", "start_date", "first_floor_date"),
}

__all__ = [
    "BEHAVIOUR_COLUMNS",
    "CAPACITY_COLUMNS",
    "CHANNEL_COLUMNS",
    "COST_BREAKDOWN_COLUMNS",
    "INTERVAL_COLUMNS",
    "TOTAL_COLUMNS",
    "CENTRE_DEMAND_COLUMNS",
    "CHANNEL_STAFFING_COLUMNS",
    "COST_COLUMNS",
    "FLOW_COLUMNS",
    "GROUP_STAFFING_COLUMNS",
    "INTERVAL_KPI_COLUMNS",
    "REQUIREMENT_COLUMNS",
    "ROUND_COLUMNS",
    "VERDICT_COLUMNS",
]
