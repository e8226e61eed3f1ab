# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import re

from openpyxl import load_workbook

from odoo.tests import Form, new_test_user

from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin


class JecreeScenarioMixin(JecreeReferralMixin):
    """The whole installation: the referral addon's small directory around Agnières
    (62) with its portal advisers, two agents of the call-center team, a manager,
    the call center's calendar with the French public holidays. Mixed with
    TransactionCase, or HttpCase when the portal is involved."""

    @classmethod
    def setup_call_center(cls):
        # agent (jr_agent), manager (jr_manager), structures, portal advisers
        cls.setup_directory()
        cls.agent2 = new_test_user(
            cls.env,
            login="js_agent2",
            name="Agent Deux",
            groups="jecree_project.group_jecree_agent",
        )
        cls.team = cls.env.company.jecree_team_id
        cls.team.member_ids = cls.agent | cls.agent2
        cls.calendar = cls.env.company.jecree_calendar_id
        cls.env.company._jecree_generate_public_holidays(range(2026, 2028))
        cls.callback_type = cls.env.ref("jecree_followup.mail_activity_type_callback")

    # ------------------------------------------------------------------ agents
    def intake(self, user, **values):
        """The "Nouvel appel" screen as `user`: fill it in the order of `values`
        (onchanges run as in the browser), save it; return the intake and the
        action of the save."""
        form = Form(self.env["jecree.call.intake"].with_user(user))
        for name, value in values.items():
            setattr(form, name, value)
        intake = form.save()
        return intake, intake.action_save()

    def callbacks(self, leads, active=True):
        """The J+8 call-back activities of `leads` (open ones by default)."""
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("activity_type_id", "=", self.callback_type.id),
                    ("active", "in", [True] if active else [True, False]),
                ],
                order="date_deadline, id",
            )
        )

    def call_back(self, lead, user, appointments=None, **values):
        """The J+8 call-back form opened from the porteur, filled and confirmed;
        `appointments` {referral: "kept" | "not_kept"} on the referrals' lines."""
        action = lead.with_user(user).action_jecree_callback()
        form = Form(
            self.env["jecree.callback.wizard"]
            .with_user(user)
            .with_context(**action["context"])
        )
        for name, value in values.items():
            setattr(form, name, value)
        shown = [vals["referral_id"] for vals in form.referral_line_ids._records]
        for referral, appointment in (appointments or {}).items():
            with form.referral_line_ids.edit(shown.index(referral.id)) as line:
                line.appointment = appointment
        return form.save().action_confirm()

    # ------------------------------------------------------------------ portal
    def portal_post(self, referral, action, **data):
        """POST an adviser's action on the referral page, with its CSRF token."""
        url = f"/my/referrals/{referral.id}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        data["csrf_token"] = re.search(
            r'name="csrf_token" value="([^"]+)"', page.text
        ).group(1)
        return self.url_open(f"{url}/{action}", data=data)

    # ------------------------------------------------------------------ managers
    def render_pack(self, year, month, user=None):
        """The monthly XLSX pack as a manager downloads it, opened with openpyxl."""
        user = user or self.manager
        wizard = (
            self.env["jecree.monthly.pack.wizard"]
            .with_user(user)
            .create({"year": year, "month": str(month)})
        )
        content, extension = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render("jecree_followup.monthly_pack_xlsx_report", wizard.ids)
        )
        self.assertEqual(extension, "xlsx")
        return load_workbook(io.BytesIO(content))

    def activity_table(self, book):
        """The Activity sheet: (calls, requests, errors share, errors) and the
        sector rows [label, share, count] until the first empty row."""
        sheet = book["Activity"]
        self.assertEqual(sheet["A4"].value, "Calls handled")
        self.assertEqual(
            sheet["A5"].value, "Information, orientation or financing requests"
        )
        self.assertEqual(
            sheet["A6"].value, "Errors or prank calls, share of the volume"
        )
        head = (
            sheet["B4"].value,
            sheet["B5"].value,
            sheet["B6"].value,
            sheet["C6"].value,
        )
        rows = []
        row = 8
        while sheet.cell(row, 1).value is not None:
            rows.append([sheet.cell(row, col).value for col in (1, 2, 3)])
            row += 1
        return head, rows

    def callback_table(self, book):
        """The J+8 call-backs sheet as {label: value}."""
        sheet = book["J+8 call-backs"]
        return {
            sheet.cell(row, 1).value: sheet.cell(row, 2).value
            for row in range(4, sheet.max_row + 1)
        }
