# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import new_test_user


class JecreeReferralMixin:
    """A small directory around Agnières (62012), a village of the Campagnes de
    l'Artois (arrondissement of Arras): two CMA antennas, a CCI, two BGE antennas
    (EPCI and department), a creation-only network; and the least-privileged
    users: an agent, a manager and one portal adviser in each of two structures."""

    @classmethod
    def setup_directory(cls):
        env = cls.env
        ref = env.ref
        cls.agent = new_test_user(
            env,
            login="jr_agent",
            name="Agent Test",
            groups="jecree_project.group_jecree_agent",
        )
        cls.manager = new_test_user(
            env,
            login="jr_manager",
            name="Manager Test",
            groups="jecree_project.group_jecree_manager",
        )
        cls.village = ref("jecree_project.res_city_fr_62012")
        cls.arras = ref("jecree_project.res_city_fr_62041")
        cls.lille = ref("jecree_project.res_city_fr_59350")
        cls.need = {
            code: ref(f"jecree_project.jecree_need_{code}")
            for code in ("information", "financement", "formation", "hebergement")
        }
        cls.sector = {
            code: ref(f"jecree_referral.jecree_sector_{code}")
            for code in ("commerce", "services", "artisanat", "industrie")
        }
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Antenna hours",
                "tz": "Europe/Paris",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hours[0],
                            "hour_to": hours[1],
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hours in (("morning", (9, 12)), ("afternoon", (14, 17)))
                ],
            }
        )
        Partner = env["res.partner"]
        stype = "jecree_referral.jecree_structure_type_"
        pas_de_calais = ref("l10n_fr_department.res_country_department_pasdecalais")
        arr_arras = ref("jecree_project.jecree_arrondissement_621")
        cls.cma = Partner.create(
            {
                "name": "CMA Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}cma").id,
                "jecree_sector_ids": [
                    Command.set([cls.sector["artisanat"].id, cls.sector["services"].id])
                ],
                "jecree_service_ids": [
                    Command.set(
                        [cls.need["information"].id, cls.need["financement"].id]
                    )
                ],
                "jecree_department_ids": [Command.set(pas_de_calais.ids)],
                "jecree_calendar_id": cls.calendar.id,
                "email": "cma@example.com",
            }
        )
        cls.cma_arras, cls.cma_bapaume = Partner.create(
            [
                {
                    "name": name,
                    "type": "other",
                    "parent_id": cls.cma.id,
                    "jecree_is_antenna": True,
                    "jecree_capacity": 2,
                    "street": street,
                    "city": city,
                    "zip": "62000",
                    "phone": "+33 3 21 00 00 00",
                    "jecree_arrondissement_ids": [Command.set(arr_arras.ids)],
                }
                for name, street, city in (
                    ("CMA – Arras", "1 rue des Artisans", "Arras"),
                    ("CMA – Bapaume", "2 rue des Métiers", "Bapaume"),
                )
            ]
        )
        cls.cci = Partner.create(
            {
                "name": "CCI Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}cci").id,
                "jecree_service_ids": [Command.set(cls.need["information"].ids)],
                "jecree_calendar_id": cls.calendar.id,
                "email": "cci@example.com",
            }
        )
        cls.cci_arras = Partner.create(
            {
                "name": "CCI – Arras",
                "type": "other",
                "parent_id": cls.cci.id,
                "jecree_is_antenna": True,
                "jecree_arrondissement_ids": [Command.set(arr_arras.ids)],
            }
        )
        cls.bge = Partner.create(
            {
                "name": "BGE Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}bge").id,
                "jecree_service_ids": [Command.set(cls.need["formation"].ids)],
                "jecree_department_ids": [Command.set(pas_de_calais.ids)],
                "jecree_keeps_calendar": False,
                "email": "bge@example.com",
            }
        )
        cls.bge_campagnes, cls.bge_62 = Partner.create(
            [
                {
                    "name": "BGE – Campagnes de l'Artois",
                    "type": "other",
                    "parent_id": cls.bge.id,
                    "jecree_is_antenna": True,
                    "jecree_epci_ids": [Command.set(cls.village.epci_id.ids)],
                },
                {
                    "name": "BGE – Pas-de-Calais",
                    "type": "other",
                    "parent_id": cls.bge.id,
                    "jecree_is_antenna": True,
                },
            ]
        )
        cls.adie = Partner.create(
            {
                "name": "ADIE Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}adie").id,
                "jecree_project_kind_ids": [
                    Command.set(ref("jecree_referral.jecree_project_kind_creation").ids)
                ],
                "jecree_city_ids": [Command.set(cls.village.ids)],
                "child_ids": [
                    Command.create(
                        {
                            "name": "ADIE – Agnières",
                            "type": "other",
                            "jecree_is_antenna": True,
                        }
                    )
                ],
            }
        )
        cls.adie_antenna = cls.adie.child_ids
        # advisers, two of them portal users
        cls.adviser_cma, cls.adviser_bge = Partner.create(
            [
                {
                    "name": "Conseillère CMA",
                    "parent_id": cls.cma_arras.id,
                    "jecree_is_adviser": True,
                    "email": "conseillere.cma@example.com",
                },
                {
                    "name": "Conseiller BGE",
                    "parent_id": cls.bge_campagnes.id,
                    "jecree_is_adviser": True,
                    "email": "conseiller.bge@example.com",
                },
            ]
        )
        cls.portal_cma = new_test_user(
            env,
            login="jr_portal_cma",
            password="jr_portal_cma",
            name="Conseillère CMA",
            email="conseillere.cma@example.com",
            groups="base.group_portal",
            partner_id=cls.adviser_cma.id,
        )
        cls.portal_bge = new_test_user(
            env,
            login="jr_portal_bge",
            password="jr_portal_bge",
            name="Conseiller BGE",
            email="conseiller.bge@example.com",
            groups="base.group_portal",
            partner_id=cls.adviser_bge.id,
        )

    @classmethod
    def make_porteur(cls, name="Porteur Test", **values):
        vals = {
            "name": f"Projet de {name}",
            "contact_name": name,
            "is_porteur": True,
            "type": "lead",
            "commune_id": cls.village.id,
            "sector": "artisanat",
            "project_kind": "creation",
            "phone": "+33 6 12 34 56 78",
            "email_from": "porteur@example.com",
            "need_ids": [
                Command.set([cls.need["information"].id, cls.need["financement"].id])
            ],
        }
        vals.update(values)
        return cls.env["crm.lead"].create(vals)

    @classmethod
    def make_referral(cls, lead, antenna, **values):
        vals = {
            "lead_id": lead.id,
            "structure_id": antenna.jecree_structure_id.id,
            "antenna_id": antenna.id,
        }
        vals.update(values)
        return cls.env["jecree.referral"].create(vals)
