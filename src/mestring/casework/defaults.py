"""Legal texts every municipality starts with; each municipality edits its own copy.

The regulation on habilitation, rehabilitation, individual plan and coordinator was
renumbered in 2022 (forskrift 2011-12-16-1256), which is why the texts are data.
"""

from __future__ import annotations

from mestring.casework.models import LegalBasis
from mestring.tenancy.models import Municipality

DEFAULT_LEGAL_BASES: list[tuple[str, str, str]] = [
    (
        "individuell-plan",
        "Helse- og omsorgstjenesteloven § 7-1 og forskrift om habilitering og rehabilitering, "
        "individuell plan og koordinator",
        "Kommunen skal utarbeide en individuell plan for pasienter og brukere med behov for "
        "langvarige og koordinerte tjenester (helse- og omsorgstjenesteloven § 7-1, jf. "
        "pasient- og brukerrettighetsloven § 2-5).",
    ),
    (
        "koordinator",
        "Helse- og omsorgstjenesteloven § 7-2",
        "For pasienter og brukere med behov for langvarige og koordinerte tjenester skal "
        "kommunen tilby koordinator (helse- og omsorgstjenesteloven § 7-2).",
    ),
    (
        "tjenester",
        "Pasient- og brukerrettighetsloven § 2-1 a og helse- og omsorgstjenesteloven § 3-2",
        "Du har rett til nødvendige helse- og omsorgstjenester fra kommunen "
        "(pasient- og brukerrettighetsloven § 2-1 a). Kommunen skal tilby blant annet "
        "helsetjenester i hjemmet, personlig assistanse, plass i institusjon og avlastning "
        "(helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6).",
    ),
]


def ensure_legal_bases(municipality: Municipality) -> None:
    for code, title, text in DEFAULT_LEGAL_BASES:
        LegalBasis.all_objects.get_or_create(
            municipality=municipality, code=code, defaults={"title": title, "text": text}
        )
