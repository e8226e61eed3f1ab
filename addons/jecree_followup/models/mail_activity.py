# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.jecree_project.tools import cached_ref

#: the activity type of a call-back asked for on the web form (jecree_project)
CALLBACK_REQUEST_TYPE = "jecree_project.mail_activity_type_callback_request"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # the J+8 call-back call that closed this activity (crm.lead.
    # jecree_record_callback): its outcome stays on the call, read from here by
    # the pack for the call-backs due in a month, whenever they were made
    callback_call_id = fields.Many2one(
        "crm.phonecall",
        string="Call-back call",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    # the "To call back" list's columns: read from the porteur and the web
    # request, never stored (one read of each for the whole page)
    jecree_phone = fields.Char(string="Phone", compute="_compute_jecree_call_back")
    jecree_requested_slot = fields.Char(
        string="Requested slot",
        compute="_compute_jecree_call_back",
        help="The slot the porteur asked for on the web form.",
    )

    def _compute_jecree_call_back(self):
        Lead = self.env["crm.lead"]
        leads = Lead.browse(
            {activity.res_id for activity in self if activity.res_model == "crm.lead"}
        )._filtered_access("read")
        phones = dict(zip(leads.ids, leads.mapped("phone"), strict=True))
        Request = self.env["jecree.callback.request"]
        slots = {}
        if self.ids and Request.has_access("read"):
            for request in Request.search([("activity_id", "in", self.ids)]):
                slots[request.activity_id.id] = request._jecree_slot_label(
                    request.preferred_day, request.preferred_period
                )
        for activity in self:
            is_lead = activity.res_model == "crm.lead"
            activity.jecree_phone = is_lead and phones.get(activity.res_id) or False
            activity.jecree_requested_slot = slots.get(activity.id, False)

    def action_jecree_callback(self):
        """From the list of J+8 call-backs: open the call-back form."""
        self.ensure_one()
        if self.res_model != "crm.lead":
            raise UserError(self.env._("This activity is not a J+8 call-back."))
        lead = self.env["crm.lead"].browse(self.res_id)
        return self.env["jecree.callback.wizard"]._action_open(lead, self)

    def action_jecree_call_back(self):
        """Rappeler, from the "To call back" list: ring the porteur (click-to-dial,
        `jecree.phone.common`) and open the screen where this kind of call-back is
        recorded, each by its own method:

        - a J+8 call-back: its call-back form (`crm.lead.jecree_record_callback`);
        - a call-back asked for on the web: "Nouvel appel" for the porteur
          (`crm.lead.action_jecree_dial`); the call logged there answers the
          request (`crm.lead._jecree_answer_callback_requests`)."""
        self.ensure_one()
        Lead = self.env["crm.lead"]
        lead = Lead.browse(self.res_id) if self.res_model == "crm.lead" else Lead
        if lead and self.activity_type_id == Lead._jecree_callback_type():
            # checked first: nothing rings for a call-back that cannot be recorded
            action = self.env["jecree.callback.wizard"]._action_open(lead, self)
            if lead.phone:
                self.env["jecree.phone.common"].click2dial(lead.phone)
            return action
        if lead and self.activity_type_id == cached_ref(
            self.env, CALLBACK_REQUEST_TYPE
        ):
            return lead.action_jecree_dial()
        raise UserError(
            self.env._(
                "This activity is not a call-back to make: open it from its record."
            )
        )
