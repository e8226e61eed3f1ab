# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

NATURES = [
    ("information", "Information"),
    ("orientation", "Orientation"),
    ("financement", "Financement"),
    ("autre", "Autre"),
]
QUALIFICATIONS = [
    ("utile", "Utile"),
    ("erreur", "Erreur"),
    ("plaisantin", "Plaisantin"),
    ("hors_cible", "Hors cible"),
]
#: the qualification of a useful call: the only calls with a nature
USEFUL_QUALIFICATION = "utile"
#: calls that are no porteur's (a wrong number, a prank): never linked to a porteur
NO_PORTEUR_QUALIFICATIONS = ("erreur", "plaisantin")
#: the natures of a request for support (an incoming useful call of one of them)
REQUEST_NATURES = ("information", "orientation", "financement")


class CrmPhonecall(models.Model):
    _inherit = "crm.phonecall"

    nature = fields.Selection(NATURES, index=True)
    qualification = fields.Selection(QUALIFICATIONS, index=True, tracking=True)
    no_porteur = fields.Boolean(
        string="Error or prank",
        compute="_compute_no_porteur",
        search="_search_no_porteur",
        help="An error or prank call: no porteur de projet.",
    )
    # A call's agent is its responsible user; shown as such on our screens.
    user_id = fields.Many2one(index=True)
    opportunity_id = fields.Many2one(index="btree_not_null")
    date = fields.Datetime(index=True)

    @api.depends("qualification")
    def _compute_no_porteur(self):
        for call in self:
            call.no_porteur = call.qualification in NO_PORTEUR_QUALIFICATIONS

    def _search_no_porteur(self, operator, value):
        if operator != "in":
            return NotImplemented
        if True in value:
            return [("qualification", "in", NO_PORTEUR_QUALIFICATIONS)]
        return [("qualification", "not in", NO_PORTEUR_QUALIFICATIONS)]

    @api.constrains("duration")
    def _check_duration(self):
        if any(call.duration < 0 for call in self):
            raise ValidationError(
                self.env._("The duration of a call cannot be negative.")
            )

    @api.constrains("qualification", "opportunity_id")
    def _check_qualification_porteur(self):
        for call in self:
            if call.qualification in NO_PORTEUR_QUALIFICATIONS and call.opportunity_id:
                raise ValidationError(
                    self.env._(
                        "An error or prank call cannot be linked to a porteur de "
                        "projet (%(porteur)s). Qualify it as useful or remove the "
                        "porteur.",
                        porteur=call.opportunity_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """A call that is not useful has no nature, whoever writes it (the intake,
        an import, an RPC client): a nature given with it is dropped."""
        for vals in vals_list:
            if vals.get("nature") and vals.get("qualification") != USEFUL_QUALIFICATION:
                vals["nature"] = False
        return super().create(vals_list)

    def write(self, vals):
        if "qualification" in vals and vals["qualification"] != USEFUL_QUALIFICATION:
            vals = dict(vals, nature=False)
        res = super().write(vals)
        if vals.get("nature") and "qualification" not in vals:
            not_useful = self.filtered(
                lambda call: call.qualification != USEFUL_QUALIFICATION
            )
            if not_useful:
                super(CrmPhonecall, not_useful).write({"nature": False})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_managers(self):
        """Only call-center managers delete calls (agents cannot): OCA crm_phonecall
        lets contact creators delete calls, which agents may be."""
        user = self.env.user
        if (
            not self.env.su
            and user.has_group("jecree_project.group_jecree_agent")
            and not user.has_group("jecree_project.group_jecree_manager")
        ):
            raise AccessError(
                self.env._("Only call-center managers can delete a call.")
            )

    # ------------------------------------------------------------------ RGPD
    def _jecree_personal_fields(self):
        """The fields of a call that hold the porteur's personal data: the export
        (right of access) shows them, the erasure empties them. An addon that adds
        such a field to calls adds it here."""
        return ["name", "partner_phone", "email_from", "description"]

    def _jecree_export_fields(self):
        """What the export shows of a call: its figures and its personal data."""
        return [
            "date",
            "direction",
            "duration",
            "nature",
            "qualification",
            "user_id",
            *self._jecree_personal_fields(),
        ]

    def _jecree_anonymize_calls(self):
        """Empty the personal data of the calls; their figures (date, direction,
        duration, nature, qualification, agent) stay."""
        for call in self:
            values = dict.fromkeys(self._jecree_personal_fields(), False)
            values["name"] = self.env._("Anonymised call #%s", call.id)
            call.write(values)
