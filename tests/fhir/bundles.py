"""Reading Bundles in tests: validation with fhir.resources (R4B) and a summary of the
substance (what must survive an export → import → export round trip)."""

from __future__ import annotations

import importlib
from typing import Any

from fhir.resources.R4B.bundle import Bundle

Json = dict[str, Any]


def resource_class(resource_type: str) -> type:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def validate(bundle: Json) -> None:
    """Raise if the Bundle or any resource in it breaks the R4B structure."""
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        resource_class(resource["resourceType"]).model_validate(resource)


def resources(bundle: Json, resource_type: str) -> list[Json]:
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == resource_type
    ]


def by_url(bundle: Json) -> dict[str, Json]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def substance(bundle: Json) -> Json:
    """The person, the plans in force or closed, their goals and activities, without ids."""
    index = by_url(bundle)
    (patient,) = resources(bundle, "Patient")
    plans = []
    for plan in resources(bundle, "CarePlan"):
        if plan["status"] == "revoked":
            continue
        goals = [index[ref["reference"]] for ref in plan.get("goal", [])]
        activities = []
        for activity in plan.get("activity", []):
            detail = activity["detail"]
            scope = [
                e["valueString"]
                for e in detail.get("extension", [])
                if e["url"].endswith("measure-scope")
            ]
            activities.append(
                (
                    detail["code"]["text"],
                    detail.get("description", ""),
                    detail["status"],
                    scope,
                    detail.get("scheduledPeriod", {}),
                    ", ".join(p["display"] for p in detail.get("performer", [])),
                    [index[g["reference"]]["description"]["text"] for g in detail.get("goal", [])],
                )
            )
        plans.append(
            {
                "status": plan["status"],
                "intent": plan["intent"],
                "period": plan["period"],
                "description": plan.get("description"),
                "author": plan.get("author", {}).get("display"),
                "goals": [
                    (
                        goal["description"]["text"],
                        goal["lifecycleStatus"],
                        goal.get("achievementStatus"),
                        goal.get("target"),
                    )
                    for goal in goals
                ],
                "activities": activities,
            }
        )
    return {
        "patient": {
            key: patient.get(key)
            for key in ("identifier", "name", "birthDate", "telecom", "address", "meta")
        },
        "plans": plans,
    }
