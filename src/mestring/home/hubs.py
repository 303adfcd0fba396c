"""The menu's sections: work lists, overviews and administration. Each link carries the
permission it needs, so the menu and the section pages show only what a user may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from mestring.access.actor import Actor
from mestring.access.permissions import (
    ACCESS_GRANT,
    ACCESS_REVIEW,
    ADMIN_STAFF,
    ADMIN_UNITS,
    DEVICES_MANAGE,
    PERSON_REGISTER,
    PLAN_EDIT,
    REHAB_REGISTER,
    STATISTICS_VIEW,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class HubLink:
    url_name: str
    label: StrOrPromise
    description: StrOrPromise
    permission: str | None = None


@dataclass(frozen=True)
class Hub:
    slug: str
    title: StrOrPromise
    links: tuple[HubLink, ...]

    def visible_links(self, actor: Actor) -> list[HubLink]:
        return [
            link
            for link in self.links
            if link.permission is None or actor.has_perm(link.permission)
        ]


HUBS: dict[str, Hub] = {
    hub.slug: hub
    for hub in (
        Hub(
            "arbeidslister",
            _("Arbeidslister"),
            (
                HubLink(
                    "portal:staff_inbox",
                    _("Fra innbyggere"),
                    _("Ubesvarte kommentarer, forslag og meldinger fra personer du følger opp."),
                ),
                HubLink(
                    "referrals:inbox",
                    _("Meldinger om behov"),
                    _("Nye og forfalte meldinger, triage."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "casework:case_list",
                    _("Saker"),
                    _("Åpne saker, foreløpig svar og saker på overtid."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "fhir:import",
                    _("Importer FHIR"),
                    _("Individuell plan fra et annet system som FHIR R4-bunt (JSON)."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "casework:deadlines",
                    _("Frister"),
                    _("Vedtak som snart utløper, ny kartlegging og åpne klager."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "catalogue:waiting_list",
                    _("Venteliste"),
                    _("Personer som venter på tildeling."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "assessments:due",
                    _("Kartlegging til oppfølging"),
                    _("Kartlegginger som skal fornyes eller er ufullstendige."),
                    PERSON_REGISTER,
                ),
                HubLink(
                    "rehab:waiting_list",
                    _("Rehabilitering: venteliste"),
                    _("Henviste og ventende forløp med ventetid, og oppfølging som forfaller."),
                    REHAB_REGISTER,
                ),
                HubLink(
                    "institutions:bed_board",
                    _("Sengeoversikt"),
                    _("Hvem som ligger på hvilken enhet i dag, og ledige senger."),
                    REHAB_REGISTER,
                ),
                HubLink(
                    "institutions:agreement_list",
                    _("Kjøpte plasser"),
                    _("Avtaler om kjøpte døgn: brukt, igjen og prognose."),
                    REHAB_REGISTER,
                ),
                HubLink(
                    "friskliv:prescription_list",
                    _("Frisklivsresepter"),
                    _("Pågående resepter ved frisklivssentralen."),
                    REHAB_REGISTER,
                ),
                HubLink(
                    "courses:course_list",
                    _("Kurs og gruppetilbud"),
                    _("Lærings- og mestringstilbud og gruppetrening: påmelding og oppmøte."),
                    REHAB_REGISTER,
                ),
                HubLink(
                    "devices:item_list",
                    _("Hjelpemidler"),
                    _("Søk på strekkode eller serienummer, status og historikk."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:store_orders",
                    _("Bestillinger av hjelpemidler"),
                    _("Bestillinger etter type: velg hjelpemiddel, se hvem som venter."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:store_person_search",
                    _("Finn person (hjelpemiddellager)"),
                    _("Personer med bestilling eller utlån fra lageret."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:deliveries",
                    _("Utlevering av hjelpemidler"),
                    _("Bestilte hjelpemidler som skal leveres: navn, adresse og telefon."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:return_scan",
                    _("Retur av hjelpemidler"),
                    _("Skann merkelappen og registrer returen."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:overdue",
                    _("Forfalte utlån"),
                    _("Utlån som skulle vært levert tilbake."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:nav_items",
                    _("NAVs hjelpemidler"),
                    _("Hjelpemidler eid av NAV som er hos innbyggere."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:inquiry_list",
                    _("Henvendelser om hjelpemidler"),
                    _("Nye henvendelser om hjelpemidler og tilrettelegging, per år."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:stock",
                    _("Lagerbeholdning"),
                    _("Beholdning per lager og type, og typer det er for få av."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:cleaning_queue",
                    _("Rengjøring"),
                    _("Hjelpemidler som er levert tilbake og venter på rengjøring."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:repair_list",
                    _("Reparasjon"),
                    _("Åpne reparasjoner med kostnad."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "plans:coordinator_list",
                    _("Koordinatorer"),
                    _("Koordinatorgruppen, opplæring og antall personer."),
                    ACCESS_GRANT,
                ),
                HubLink(
                    "access:emergency_reviews",
                    _("Nødtilgang til gjennomgang"),
                    _("Bruk av nødtilgang som skal vurderes."),
                    ACCESS_REVIEW,
                ),
            ),
        ),
        Hub(
            "oversikter",
            _("Oversikter"),
            (
                HubLink(
                    "reports:coordination_overview",
                    _("Koordinerende enhet"),
                    _("Individuelle planer, koordinatorer og ansvarsgrupper."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "reports:decisions",
                    _("Søknader og vedtak"),
                    _("Saksbehandlingstid, ventetid og vedtak per tjeneste."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "rehab:report",
                    _("Hverdagsrehabilitering"),
                    _("Henvisninger, varighet, besøk og endring i SPPB."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "institutions:report_beds",
                    _("Beleggsprosent"),
                    _("Pasienter, liggedøgn og belegg per oppholdstype og enhet."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "institutions:report_purchased",
                    _("Kjøpte plasser (tall)"),
                    _("Kjøpte, brukte og gjenstående døgn, kostnad og prognose."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "friskliv:report",
                    _("Frisklivsresept"),
                    _("Henviste og gjennomførte per alder og henvisningsårsak."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "devices:report",
                    _("Hjelpemidler (tall)"),
                    _("Aktive brukere, utlevert, innlevert og verdi per år."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "actionplan:plan_list",
                    _("Tiltaksplan"),
                    _("Tiltak med ansvar, år, kostnad og status; fremdrift og versjoner."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "actionplan:chapter",
                    _("Statuskapittel"),
                    _("Tallene til planens statuskapittel, som PDF og regneark."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "planning:demography",
                    _("Befolkning og framskrivning"),
                    _("Befolkning per aldersgruppe til 2040, yrkesaktive per eldre."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "planning:projected_need",
                    _("Framskrevet behov"),
                    _("Mottakere per tjeneste framskrevet med befolkningen, med forutsetningene."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "planning:capacity",
                    _("Kapasitet og rehabiliteringspyramiden"),
                    _("Kapasitet, i bruk, venteliste og ventetid; personer per nivå."),
                    STATISTICS_VIEW,
                ),
                HubLink(
                    "catalogue:capacity",
                    _("Kapasitet"),
                    _("Kapasitet, i bruk og venteliste per tjeneste og enhet."),
                    STATISTICS_VIEW,
                ),
            ),
        ),
        Hub(
            "administrasjon",
            _("Administrasjon"),
            (
                HubLink(
                    "people:unit_list",
                    _("Enheter"),
                    _("Kommunens enheter og samarbeidsparter."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "catalogue:service_list",
                    _("Tjenestekatalog"),
                    _("Tjenester, utførende enheter og kapasitet."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "institutions:unit_beds",
                    _("Senger"),
                    _("Institusjonsenheter og antall senger over tid."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "rehab:programme_list",
                    _("Rehabiliteringsprogrammer"),
                    _("Programmer som drives i forløp, som hverdagsrehabilitering."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "outcomes:thresholds",
                    _("Meningsfull endring"),
                    _("Terskel for meningsfull endring per måleinstrument."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "devices:type_list",
                    _("Hjelpemiddeltyper"),
                    _("Typer og kategorier, ISO 9999-klasse og varsel om lav beholdning."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "devices:store_list",
                    _("Hjelpemiddellagre"),
                    _("Lagre og rom."),
                    DEVICES_MANAGE,
                ),
                HubLink(
                    "planning:population_import",
                    _("Importer befolkningstall"),
                    _("Befolkning og framskrivninger som CSV eller JSON-stat (SSB)."),
                    PLAN_EDIT,
                ),
                HubLink(
                    "actionplan:import",
                    _("Importer tiltak"),
                    _("Tiltak til tiltaksplanen fra CSV."),
                    PLAN_EDIT,
                ),
                HubLink(
                    "public:moderation",
                    _("Brukerorganisasjoner"),
                    _("Godkjenn organisasjoner som har registrert seg."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "public:profile_edit",
                    _("Offentlig tjenesteside"),
                    _("Innledning og kontakt til koordinerende enhet på den offentlige siden."),
                    ADMIN_UNITS,
                ),
                HubLink(
                    "people:staff_list", _("Ansatte"), _("Brukere, enheter og roller."), ADMIN_STAFF
                ),
                HubLink(
                    "access:role_list", _("Roller"), _("Hva hver rolle kan gjøre."), ADMIN_STAFF
                ),
                HubLink(
                    "casework:legal_basis_list",
                    _("Hjemler"),
                    _("Lovtekster i vedtaksbrevene."),
                    ADMIN_STAFF,
                ),
                HubLink(
                    "assessments:variable_list",
                    _("Funksjonsvariabler"),
                    _("Variablene i kartleggingen og betydningen av skårene."),
                    ADMIN_STAFF,
                ),
                HubLink(
                    "maintenance:retention_settings",
                    _("Oppbevaringstider"),
                    _("Hvor lenge opplysninger oppbevares før de slettes eller anonymiseres."),
                    ADMIN_STAFF,
                ),
            ),
        ),
    )
}


def visible_hubs(actor: Actor | None) -> list[Hub]:
    if actor is None:
        return []
    return [hub for hub in HUBS.values() if hub.visible_links(actor)]
