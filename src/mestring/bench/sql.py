"""Hand-written SQL for the yearly reports: the floor a report is measured against.

Each entry computes the figures of one report with a single SQL statement (grouped
rows, summed here), on SQLite and PostgreSQL alike. The benchmark checks that it
agrees with the report and prints report time ÷ SQL time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

Params = dict[str, Any]


@dataclass(frozen=True)
class HandSql:
    """`run(municipality_id, params)` gives `{key: value}` for `keys` of the report."""

    run: Callable[[int, Params], dict[str, Any]]
    keys: tuple[str, ...]

    def __call__(self, municipality_id: int, params: Params) -> dict[str, Any]:
        return self.run(municipality_id, params)

    def comparable(self, result: dict[str, Any]) -> dict[str, Any]:
        return {key: result[key] for key in self.keys}


def year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def month_day(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'MMDD')"
    return f"strftime('%m%d', {column})"


def age_on(birth: str, day: str) -> str:
    """Whole years from `birth` to `day`; a 29 February birthday falls on 1 March."""
    return (
        f"({year_of(day)} - {year_of(birth)} - "
        f"CASE WHEN {month_day(day)} < {month_day(birth)} THEN 1 ELSE 0 END)"
    )


def date_param() -> str:
    """A date given as a parameter ("2025-12-31"), usable inside expressions."""
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def days_between(later: str, earlier: str) -> str:
    """Whole days from `earlier` to `later` (dates)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def least(*values: str) -> str:
    # SQLite's MIN and MAX with several arguments are the scalar functions.
    name = "LEAST" if connection.vendor == "postgresql" else "MIN"
    return f"{name}({', '.join(values)})"


def greatest(*values: str) -> str:
    name = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return f"{name}({', '.join(values)})"


def nights_within(admitted: str, discharged: str, first: str, end: str) -> str:
    """Nights of a stay within [first, end), as `institutions.selectors.nights`."""
    stop = least(f"COALESCE({discharged}, {end})", end)
    return greatest("0", days_between(stop, greatest(admitted, first)))


def half_up(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def as_decimal(value: Any) -> Decimal:
    """A DECIMAL column read by raw SQL: Decimal on PostgreSQL, int or float on SQLite
    (repr gives the shortest decimal that is the same float). Never NULL: a caller
    reading a nullable column checks for None first."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def frisklivsresept(municipality_id: int, params: Params) -> dict[str, Any]:
    from mestring.friskliv.models import Reason
    from mestring.friskliv.reports import AGE_BANDS

    age = age_on("p.birth_date", "r.referral_date")
    bands = " ".join(
        f"WHEN {age} >= {low}"
        + ("" if high is None else f" AND {age} <= {high}")
        + f" THEN '{name}'"
        for name, low, high in AGE_BANDS
    )
    sql = f"""
        SELECT r.reason, CASE {bands} ELSE '{AGE_BANDS[0][0]}' END AS band,
               COUNT(*), SUM(CASE WHEN r.completed THEN 1 ELSE 0 END)
        FROM friskliv_prescription r JOIN people_person p ON p.id = r.person_id
        WHERE r.municipality_id = %s AND r.referral_date >= %s AND r.referral_date < %s
        GROUP BY 1, 2
    """  # noqa: S608 - the interpolated parts are constants of this module
    year = params["year"]
    found = rows(sql, [municipality_id, f"{year}-01-01", f"{year + 1}-01-01"])
    by_age = {name: 0 for name, _low, _high in AGE_BANDS}
    by_reason = {code: 0 for code in Reason.values}
    for reason, band, count, _completed in found:
        by_age[band] += count
        by_reason[reason] = by_reason.get(reason, 0) + count
    return {
        "referred": sum(row[2] for row in found),
        "completed": sum(int(row[3] or 0) for row in found),
        "by_age_band": by_age,
        "by_reason": by_reason,
    }


def individual_plans(municipality_id: int, params: Params) -> dict[str, Any]:
    """Plans in force on the day per responsible unit, split at 18 years of age."""
    age = age_on("p.birth_date", "k.day")
    sql = f"""
        SELECT u.name,
               SUM(CASE WHEN {age} < 18 THEN 1 ELSE 0 END),
               SUM(CASE WHEN {age} >= 18 THEN 1 ELSE 0 END),
               COUNT(*)
        FROM plans_individualplan ip
        CROSS JOIN (SELECT {date_param()} AS day) k
        JOIN people_unit u ON u.id = ip.responsible_unit_id
        JOIN people_person p ON p.id = ip.person_id
        WHERE ip.municipality_id = %s AND ip.start_date <= k.day
          AND (ip.end_date IS NULL OR ip.end_date >= k.day)
        GROUP BY u.name
        ORDER BY u.name
    """  # noqa: S608 - the interpolated parts are constants of this module
    # Ordered by the database, as the report is: the collation decides, not Python.
    found = rows(sql, [params["date"].isoformat(), municipality_id])
    result_rows = [
        {"unit": unit, "under_18": int(young), "adult": int(adult), "total": int(total)}
        for unit, young, adult, total in found
    ]
    total = {key: sum(row[key] for row in result_rows) for key in ("under_18", "adult", "total")}
    return {"rows": result_rows, "total": total}


def nth_value(histogram: list[tuple[int, int]], index: int) -> int:
    """The value at `index` (from 0) of the sorted values given as (value, count)."""
    seen = 0
    for value, count in histogram:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def day_figures(histogram: dict[int, int]) -> dict[str, Any]:
    """Median, 90th percentile (nearest rank) and count from day values and their counts."""
    ordered = sorted(histogram.items())
    count = sum(histogram.values())
    if not count:
        return {"median": None, "p90": None, "count": 0}
    if count % 2:
        middle: float | int = nth_value(ordered, count // 2)
    else:
        pair = nth_value(ordered, count // 2 - 1) + nth_value(ordered, count // 2)
        middle = pair // 2 if pair % 2 == 0 else pair / 2
    p90 = nth_value(ordered, (9 * count + 9) // 10 - 1)
    return {"median": middle, "p90": p90, "count": count}


def decisions(municipality_id: int, params: Params) -> dict[str, Any]:
    """Applications, decisions per service and outcome, processing and waiting days (as
    counts per number of days) and persons waiting at the year's end, in one statement."""
    from mestring.casework.models import CaseKind, DecisionOutcome, DecisionSubject
    from mestring.reports.decisions import NO_SERVICE

    year = params["year"]
    no_text, no_int = "CAST(NULL AS VARCHAR(200))", "CAST(NULL AS INTEGER)"
    processing = days_between("d.decided_on", "c.received_on")
    waiting = days_between("w.removed_on", "w.added_on")
    sql = f"""
        WITH k AS (SELECT {date_param()} AS first_day, {date_param()} AS last_day)
        SELECT 'received', {no_text}, {no_text}, {no_int}, COUNT(*)
        FROM casework_case c CROSS JOIN k
        WHERE c.municipality_id = %s AND c.kind = %s
          AND c.received_on >= k.first_day AND c.received_on <= k.last_day
        UNION ALL
        SELECT 'applied', s.name, {no_text}, {no_int}, COUNT(*)
        FROM casework_applicationline l CROSS JOIN k
        JOIN casework_case c ON c.id = l.case_id
        JOIN catalogue_service s ON s.id = l.service_id
        WHERE l.municipality_id = %s AND c.kind = %s
          AND c.received_on >= k.first_day AND c.received_on <= k.last_day
        GROUP BY s.name
        UNION ALL
        SELECT 'decided', s.name, d.outcome, {no_int}, COUNT(*)
        FROM casework_decision d CROSS JOIN k
        LEFT JOIN catalogue_service s ON s.id = d.service_id
        WHERE d.municipality_id = %s AND d.subject = %s
          AND d.decided_on >= k.first_day AND d.decided_on <= k.last_day
        GROUP BY s.name, d.outcome
        UNION ALL
        SELECT 'processing', {no_text}, {no_text}, {processing}, COUNT(*)
        FROM casework_decision d CROSS JOIN k
        JOIN casework_case c ON c.id = d.case_id
        WHERE d.municipality_id = %s AND d.subject = %s
          AND d.decided_on >= k.first_day AND d.decided_on <= k.last_day
        GROUP BY {processing}
        UNION ALL
        SELECT 'waiting', {no_text}, {no_text}, {waiting}, COUNT(*)
        FROM catalogue_waitinglistentry w CROSS JOIN k
        WHERE w.municipality_id = %s
          AND w.removed_on >= k.first_day AND w.removed_on <= k.last_day
        GROUP BY {waiting}
        UNION ALL
        SELECT 'persons_waiting', {no_text}, {no_text}, {no_int}, COUNT(DISTINCT c.person_id)
        FROM catalogue_waitinglistentry w CROSS JOIN k
        JOIN casework_decision d ON d.id = w.decision_id
        JOIN casework_case c ON c.id = d.case_id
        WHERE w.municipality_id = %s AND w.added_on <= k.last_day
          AND (w.removed_on IS NULL OR w.removed_on > k.last_day)
    """  # noqa: S608 - the interpolated parts are constants of this module
    service, subject = CaseKind.SERVICE.value, DecisionSubject.SERVICE.value
    found = rows(
        sql,
        [
            f"{year}-01-01",
            f"{year}-12-31",
            *(municipality_id, service, municipality_id, service),
            *(municipality_id, subject, municipality_id, subject),
            municipality_id,
            municipality_id,
        ],
    )
    keys = {DecisionOutcome.GRANTED: "granted", DecisionOutcome.PARTLY: "partly"}
    keys[DecisionOutcome.REFUSED] = "refused"
    received = persons_waiting = 0
    applied: dict[str, int] = {}
    decided: dict[str, dict[str, int]] = {}
    days: dict[str, dict[int, int]] = {"processing": {}, "waiting": {}}
    for part, name, outcome, day_count, n in found:
        if part == "received":
            received = n
        elif part == "persons_waiting":
            persons_waiting = n
        elif part == "applied":
            applied[name] = n
        elif part == "decided":
            row = decided.setdefault(
                name or NO_SERVICE, {"granted": 0, "partly": 0, "refused": 0, "total": 0}
            )
            if outcome in keys:
                row[keys[outcome]] += n
            row["total"] += n
        else:
            days[part][int(day_count)] = n
    decision_rows = [{"service": name, **decided[name]} for name in sorted(decided)]
    totals = ("granted", "partly", "refused", "total")
    return {
        "applications_received": received,
        "applications_by_service": dict(sorted(applied.items())),
        "decisions": decision_rows,
        "decisions_total": {key: sum(row[key] for row in decision_rows) for key in totals},
        "processing_days": day_figures(days["processing"]),
        "waiting_days": day_figures(days["waiting"]),
        "persons_waiting_at_year_end": persons_waiting,
    }


def tenths(numerator: int, denominator: int) -> float:
    return float(half_up(Decimal(numerator) / denominator, "0.1"))


def everyday_rehab(municipality_id: int, params: Params) -> dict[str, Any]:
    """Episodes of the programme referred in the year, grouped by source, assessment,
    outcome and SPPB change; durations and visits summed per group."""
    from mestring.outcomes.models import DEFAULT_THRESHOLDS, Instrument, TimePoint
    from mestring.rehab.models import (
        EVERYDAY_REHAB,
        EpisodeAssessment,
        EpisodeOutcome,
        ReferralSource,
    )

    def sppb(time_point_order: str) -> str:
        return f"""(SELECT o.total FROM outcomes_observation o
            WHERE o.episode_id = e.id AND o.municipality_id = e.municipality_id
              AND o.instrument = %s AND o.time_point = %s AND o.total IS NOT NULL
            ORDER BY {time_point_order} LIMIT 1)"""  # noqa: S608 - constants

    duration = days_between("e.end_date", "e.start_date")
    # Totals have two decimals; rounding the difference keeps SQLite's floats exact.
    change = "ROUND(x.last_total - x.first_total, 2)"
    sql = f"""
        SELECT x.referral_source, x.assessment, x.outcome,
               CASE WHEN x.outcome <> %s THEN NULL
                    WHEN x.first_total IS NULL OR x.last_total IS NULL THEN 'not_measured'
                    WHEN {change} >= t.threshold THEN 'improved'
                    WHEN -{change} >= t.threshold THEN 'worsened'
                    ELSE 'unchanged' END,
               COUNT(*), COUNT(x.days), SUM(x.days), MIN(x.days), MAX(x.days),
               SUM(x.visits), MIN(x.visits), MAX(x.visits)
        FROM (
            SELECT e.referral_source, e.assessment, e.outcome,
                   CASE WHEN e.start_date IS NOT NULL AND e.end_date IS NOT NULL
                        THEN {duration} END AS days,
                   (SELECT COUNT(*) FROM rehab_visit v WHERE v.episode_id = e.id) AS visits,
                   {sppb("o.observed_on, o.id")} AS first_total,
                   {sppb("o.observed_on DESC, o.id DESC")} AS last_total
            FROM rehab_episode e JOIN rehab_programme p ON p.id = e.programme_id
            WHERE e.municipality_id = %s AND p.code = %s
              AND e.referral_date >= %s AND e.referral_date <= %s
        ) x
        CROSS JOIN (
            SELECT COALESCE(
                (SELECT meaningful_change FROM outcomes_instrumentthreshold
                 WHERE municipality_id = %s AND instrument = %s),
                CAST(%s AS NUMERIC)) AS threshold
        ) t
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608 - the interpolated parts are constants of this module
    year = params["year"]
    instrument = Instrument.SPPB.value
    found = rows(
        sql,
        [
            EpisodeOutcome.COMPLETED.value,
            *(instrument, TimePoint.START.value, instrument, TimePoint.END.value),
            *(municipality_id, EVERYDAY_REHAB, f"{year}-01-01", f"{year}-12-31"),
            *(municipality_id, instrument, str(DEFAULT_THRESHOLDS[instrument])),
        ],
    )
    by_source = dict.fromkeys(ReferralSource.values, 0)
    sppb_counts = dict.fromkeys(("improved", "unchanged", "worsened", "not_measured"), 0)
    flow = dict.fromkeys(("not_relevant", "relevant", "completed", "not_completed"), 0)
    spans: dict[str, dict[str, Any]] = {
        name: {"n": 0, "sum": 0, "min": None, "max": None} for name in ("days", "visits")
    }
    for source, assessment, outcome, change_class, n, *figures in found:
        by_source[source] = by_source.get(source, 0) + n
        if assessment == EpisodeAssessment.NOT_RELEVANT:
            flow["not_relevant"] += n
        elif assessment == EpisodeAssessment.RELEVANT:
            flow["relevant"] += n
            if outcome == EpisodeOutcome.DISCONTINUED:
                flow["not_completed"] += n
        if outcome != EpisodeOutcome.COMPLETED:
            continue
        flow["completed"] += n
        sppb_counts[change_class] += n
        days_n, days_sum, days_min, days_max, visits_sum, visits_min, visits_max = figures
        for name, count, total, low, high in (
            ("days", days_n, days_sum, days_min, days_max),
            ("visits", n, visits_sum, visits_min, visits_max),
        ):
            if not count:
                continue
            span = spans[name]
            span["n"] += count
            span["sum"] += int(total)
            span["min"] = low if span["min"] is None else min(span["min"], low)
            span["max"] = high if span["max"] is None else max(span["max"], high)

    def spread(span: dict[str, Any]) -> dict[str, Any]:
        if not span["n"]:
            return {"mean": None, "min": None, "max": None}
        return {"mean": tenths(span["sum"], span["n"]), "min": span["min"], "max": span["max"]}

    durations = spans["days"]
    return {
        "referrals": sum(by_source.values()),
        "by_source": by_source,
        **flow,
        "duration_days": spread(durations),
        "duration_weeks_mean": (
            float(half_up(Decimal(durations["sum"]) / durations["n"] / 7, "0.1"))
            if durations["n"]
            else None
        ),
        "visits": spread(spans["visits"]),
        "sppb": sppb_counts,
    }


def percent(part: int, whole: int) -> float | None:
    return float(half_up(Decimal(part) * 100 / Decimal(whole), "0.1")) if whole else None


def bed_occupancy(municipality_id: int, params: Params) -> dict[str, Any]:
    """Capacity (bed-days from the capacity history), beds on 31 December and bed-days
    and patients per stay type, in one statement."""
    from mestring.institutions.models import StayType

    year, unit_id = params["year"], params["unit"].pk
    capacity_nights = nights_within("c.valid_from", "c.until", "k.first_day", "k.end_day")
    stay_nights = nights_within("s.admitted_on", "s.discharged_on", "k.first_day", "k.end_day")
    sql = f"""
        WITH k AS (SELECT {date_param()} AS first_day, {date_param()} AS last_day,
                          {date_param()} AS end_day)
        SELECT 'capacity', CAST(NULL AS VARCHAR(20)),
               SUM(c.beds * {capacity_nights}), CAST(NULL AS INTEGER)
        FROM (
            SELECT beds, valid_from,
                   LEAD(valid_from) OVER (ORDER BY valid_from, id) AS until
            FROM institutions_bedcapacity WHERE municipality_id = %s AND unit_id = %s
        ) c CROSS JOIN k
        UNION ALL
        SELECT 'beds', NULL,
               (SELECT b.beds FROM institutions_bedcapacity b
                WHERE b.municipality_id = %s AND b.unit_id = %s AND b.valid_from <= k.last_day
                ORDER BY b.valid_from DESC, b.id DESC LIMIT 1), NULL
        FROM k
        UNION ALL
        SELECT 'stays', x.stay_type, SUM(x.nights), COUNT(DISTINCT x.person_id)
        FROM (
            SELECT s.stay_type, s.person_id, {stay_nights} AS nights
            FROM institutions_stay s CROSS JOIN k
            WHERE s.municipality_id = %s AND s.unit_id = %s AND s.admitted_on < k.end_day
              AND (s.discharged_on IS NULL OR s.discharged_on > k.first_day)
        ) x
        WHERE x.nights > 0
        GROUP BY x.stay_type
    """  # noqa: S608 - the interpolated parts are constants of this module
    first, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    found = rows(
        sql,
        [
            *(first.isoformat(), datetime.date(year, 12, 31).isoformat(), end.isoformat()),
            *(municipality_id, unit_id) * 3,
        ],
    )
    capacity, beds, per_type = 0, 0, {}
    for part, stay_type, days, patients in found:
        if part == "capacity":
            capacity = int(days or 0)
        elif part == "beds":
            beds = int(days or 0)
        else:
            per_type[stay_type] = (int(patients), int(days))
    result_rows: list[dict[str, Any]] = [
        {
            "stay_type": stay_type,
            "patients": per_type[stay_type][0],
            "bed_days": per_type[stay_type][1],
            "occupancy_pct": percent(per_type[stay_type][1], capacity),
        }
        for stay_type in StayType.values
        if stay_type in per_type
    ]
    total_days = sum(row["bed_days"] for row in result_rows)
    return {
        "beds": beds,
        "capacity_days": capacity,
        "rows": result_rows,
        "total": {
            "patients": sum(row["patients"] for row in result_rows),
            "bed_days": total_days,
            "occupancy_pct": percent(total_days, capacity),
        },
    }


def kroner(value: Decimal) -> int | float:
    value = half_up(value, "0.01")
    return int(value) if value == value.to_integral_value() else float(value)


def purchased_places(municipality_id: int, params: Params) -> dict[str, Any]:
    """Bed-days used under the agreement up to yesterday (or the year's end), with the
    agreement's days and price, in one statement; cost and projection follow from them."""
    year = params["year"]
    first, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    # As the report: today when not given, and the cutoff kept within the year.
    today = params.get("today") or timezone.localdate()
    cutoff = min(max(today, first), end)
    used_nights = nights_within("s.admitted_on", "s.discharged_on", "k.first_day", "k.cutoff")
    sql = f"""
        SELECT a.bed_days, a.price_per_day, COALESCE(SUM({used_nights}), 0)
        FROM institutions_purchaseagreement a
        CROSS JOIN (SELECT {date_param()} AS first_day, {date_param()} AS cutoff) k
        LEFT JOIN institutions_stay s
          ON s.municipality_id = a.municipality_id AND s.admitted_on < k.cutoff
         AND (s.agreement_id = a.id OR (s.agreement_id IS NULL AND s.unit_id = a.centre_id))
        WHERE a.municipality_id = %s AND a.id = %s
        GROUP BY a.id, a.bed_days, a.price_per_day
    """  # noqa: S608 - the interpolated parts are constants of this module
    ((bought, price, used),) = rows(
        sql, [first.isoformat(), cutoff.isoformat(), municipality_id, params["agreement"].pk]
    )
    price, used = as_decimal(price), int(used)
    elapsed, days_in_year = (cutoff - first).days, (end - first).days
    projected = int(half_up(Decimal(used) * days_in_year / elapsed, "1")) if elapsed else None
    return {
        "days_bought": bought,
        "days_used": used,
        "days_left": bought - used,
        "price_per_day": kroner(price),
        "cost_so_far": kroner(price * used),
        "projected_days": projected,
        "projected_cost": None if projected is None else kroner(price * projected),
    }


def assistive_devices(municipality_id: int, params: Params) -> dict[str, Any]:
    """Delivered loans: users at the year's end, in the year and new, deliveries,
    returns and delivered value, in one statement."""
    in_year = "l.{0} >= k.first_day AND l.{0} <= k.last_day"
    delivered, returned = in_year.format("delivered_on"), in_year.format("returned_on")
    sql = f"""
        WITH k AS (SELECT {date_param()} AS first_day, {date_param()} AS last_day)
        SELECT a.active, a.users, a.delivered, a.returned, a.value_nok,
               (SELECT COUNT(*) FROM (
                    SELECT MIN(l.delivered_on) AS first_delivery FROM devices_loan l
                    WHERE l.municipality_id = %s AND l.delivered_on IS NOT NULL
                    GROUP BY l.person_id) f
                WHERE f.first_delivery >= k.first_day AND f.first_delivery <= k.last_day)
        FROM k CROSS JOIN (
            SELECT COUNT(DISTINCT CASE WHEN l.delivered_on <= k.last_day
                         AND (l.returned_on IS NULL OR l.returned_on > k.last_day)
                         THEN l.person_id END) AS active,
                   COUNT(DISTINCT CASE WHEN {delivered} THEN l.person_id END) AS users,
                   SUM(CASE WHEN {delivered} THEN 1 ELSE 0 END) AS delivered,
                   SUM(CASE WHEN {returned} THEN 1 ELSE 0 END) AS returned,
                   SUM(CASE WHEN {delivered} THEN i.value_nok END) AS value_nok
            FROM devices_loan l CROSS JOIN k JOIN devices_item i ON i.id = l.item_id
            WHERE l.municipality_id = %s
        ) a
    """  # noqa: S608 - the interpolated parts are constants of this module
    year = params["year"]
    ((active, users, count, back, value, new_users),) = rows(
        sql, [f"{year}-01-01", f"{year}-12-31", municipality_id, municipality_id]
    )
    # A sum of DECIMAL(…, 2) read as the ORM reads it: to whole øre.
    total = half_up(Decimal(0) if value is None else as_decimal(value), "0.01")
    return {
        "active_users": active,
        "users_with_deliveries": users,
        "new_users": new_users,
        "delivered": int(count or 0),
        "returned": int(back or 0),
        "delivered_value_nok": int(total) if total == total.to_integral_value() else float(total),
    }


# "plan-chapter" has no entry: it computes nothing itself, it assembles the other
# reports' results (mestring.actionplan.chapter), whose SQL is here.
HAND_WRITTEN: dict[str, HandSql] = {
    "individual-plans": HandSql(individual_plans, ("rows", "total")),
    "decisions": HandSql(
        decisions,
        (
            "applications_received",
            "applications_by_service",
            "decisions",
            "decisions_total",
            "processing_days",
            "waiting_days",
            "persons_waiting_at_year_end",
        ),
    ),
    "everyday-rehab": HandSql(
        everyday_rehab,
        (
            "referrals",
            "by_source",
            "not_relevant",
            "relevant",
            "completed",
            "not_completed",
            "duration_days",
            "duration_weeks_mean",
            "visits",
            "sppb",
        ),
    ),
    "bed-occupancy": HandSql(bed_occupancy, ("beds", "capacity_days", "rows", "total")),
    "purchased-places": HandSql(
        purchased_places,
        (
            "days_bought",
            "days_used",
            "days_left",
            "price_per_day",
            "cost_so_far",
            "projected_days",
            "projected_cost",
        ),
    ),
    "frisklivsresept": HandSql(
        frisklivsresept, ("referred", "completed", "by_age_band", "by_reason")
    ),
    "assistive-devices": HandSql(
        assistive_devices,
        (
            "active_users",
            "users_with_deliveries",
            "new_users",
            "delivered",
            "returned",
            "delivered_value_nok",
        ),
    ),
}
