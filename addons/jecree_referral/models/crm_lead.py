# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.jecree_project.models.crm_lead import PersonalData

from .jecree_referral import REFERRAL_PERSONAL_FIELDS

#: referrals no longer open: not shown when the porteur calls
CLOSED_STATES = ("refusee", "clos")

#: the longest name a porteur's contact is created with (names are indexed)
MAX_NAME = 256


class CrmLead(models.Model):
    _inherit = "crm.lead"

    jecree_referral_ids = fields.One2many(
        "jecree.referral", "lead_id", string="Referrals"
    )
    jecree_referral_count = fields.Integer(
        string="Referrals count", compute="_compute_jecree_referral_count"
    )

    def _compute_jecree_referral_count(self):
        counts = dict(
            self.env["jecree.referral"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.jecree_referral_count = counts.get(lead, 0)

    def _jecree_caller_summary(self):
        summary = super()._jecree_caller_summary()
        referrals = self.jecree_referral_ids
        if referrals:
            summary.append(
                self.env._(
                    "%(count)s referral(s): %(structures)s",
                    count=len(referrals),
                    structures=", ".join(
                        referrals.sudo().antenna_id.mapped("display_name")
                    ),
                )
            )
        else:
            summary.append(self.env._("no referral"))
        return summary

    def _jecree_check_referable(self):
        for lead in self:
            if not lead.is_porteur:
                raise UserError(self.env._("Only a porteur de projet can be referred."))
            if not lead.commune_id:
                raise UserError(
                    self.env._(
                        "Set the porteur's commune first: structures are chosen by "
                        "their territory."
                    )
                )

    def _jecree_check_contact_names(self):
        """CRM creates the porteur's contact from these names: refuse a name that
        the contacts' index cannot take before anything is written."""
        for lead in self:
            if any(
                len(name or "") > MAX_NAME
                for name in (lead.contact_name, lead.partner_name, lead.name)
            ):
                raise UserError(
                    self.env._(
                        "The porteur's name is longer than %(max)s characters: "
                        "shorten it on their form.",
                        max=MAX_NAME,
                    )
                )

    def action_jecree_refer(self):
        """Open the referral wizard with the ranked antennas."""
        self.ensure_one()
        self._jecree_check_referable()
        wizard = self.env["jecree.referral.wizard"].create({"lead_id": self.id})
        wizard._jecree_fill_suggestions()
        return wizard._reopen()

    def action_jecree_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_referral.jecree_referral_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    # ------------------------------------------------------------------ RGPD
    def _jecree_personal_records(self):
        """Referrals copy the porteur's name, phone, email and project; the
        appointment makes a contact of the porteur and a meeting with them as
        attendee; the satisfaction survey keeps their email and answers."""
        holdings = super()._jecree_personal_records()
        referrals = self.jecree_referral_ids
        contacts = holdings["contacts"]
        extra = referrals.porteur_partner_id - contacts.records
        porteurs = contacts.records | (extra - self._jecree_shared_partners(extra))
        holdings["contacts"] = contacts._replace(records=porteurs)
        holdings["referrals"] = PersonalData(
            self.env._("Referrals"),
            referrals,
            (
                "name",
                "date_proposed",
                "state",
                "structure_id",
                "antenna_id",
                "adviser_id",
                "appointment_start",
                *REFERRAL_PERSONAL_FIELDS,
            ),
            lambda referrals: referrals._jecree_anonymize(),
        )
        holdings["meetings"] = PersonalData(
            self.env._("Meetings"),
            referrals.event_id,
            ("name", "start", "stop", "location", "description", "partner_ids"),
            lambda events: referrals._jecree_anonymize_meetings(events, porteurs),
        )
        holdings["surveys"] = PersonalData(
            self.env._("Satisfaction surveys"),
            referrals.sudo().survey_user_input_id,
            ("create_date", "state", "email"),
            lambda answers: answers.unlink(),
        )
        holdings["referral_forms"] = PersonalData(
            self.env._("Unfinished referral forms"),
            self.env["jecree.referral.wizard"].search([("lead_id", "in", self.ids)]),
            ("create_date", "state"),
            lambda wizards: wizards.unlink(),
        )
        return holdings

    def _jecree_shared_partners(self, partners):
        """A porteur's contact that is also in the directory (a structure, an
        antenna, an adviser) or the contact of another porteur's referral."""
        shared = super()._jecree_shared_partners(partners)
        directory = partners.filtered(
            lambda partner: (
                partner.jecree_structure_type_id
                or partner.jecree_is_antenna
                or partner.jecree_is_adviser
                or partner.jecree_structure_id
            )
        )
        others = (
            self.env["jecree.referral"]
            .sudo()
            .search(
                [
                    ("porteur_partner_id", "in", partners.ids),
                    ("lead_id", "not in", self.ids),
                    ("lead_id.anonymized_date", "=", False),
                ]
            )
        )
        return shared | directory | others.porteur_partner_id

    # ------------------------------------------------------------------ phone system
    def _jecree_screen_pop_extend(self, summary):
        """The screen pop shows the porteur's open referrals (neither declined
        nor closed): the structure and where the referral stands."""
        summary = super()._jecree_screen_pop_extend(summary)
        referrals = (
            self.env["jecree.referral"]
            .sudo()
            .search(
                [("lead_id", "in", self.ids), ("state", "not in", CLOSED_STATES)],
                order="id desc",
            )
        )
        states = dict(referrals._fields["state"]._description_selection(self.env))
        for caller in summary:
            caller["lines"].extend(
                self.env._(
                    "Referral: %(structure)s (%(state)s)",
                    structure=referral.antenna_id.display_name
                    or referral.structure_id.display_name,
                    state=states[referral.state],
                )
                for referral in referrals
                if referral.lead_id.id == caller["id"]
            )
        return summary
