# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestAcceptDelay(JecreeReferralMixin, TransactionCase):
    """The opening hours and days between a referral's proposal and its
    acceptance, on the antenna's opening hours (Monday to Friday, 9-12 and
    14-17 in Paris, UTC+1 in November); Wednesday 11 November 2026 is a public
    holiday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.env.company._jecree_generate_public_holidays(range(2026, 2028))
        cls.porteur = cls.make_porteur("Porteur Délai")

    def accepted(self, antenna, proposed, accepted, **values):
        """A referral proposed and accepted (`action_accept`) at these naive
        UTC datetimes."""
        referral = self.make_referral(
            self.porteur, antenna, date_proposed=proposed, **values
        )
        with freeze_time(accepted):
            referral.action_accept()
        return referral

    def delay(self, referral):
        return (
            referral.accept_opening_hours,
            referral.accept_opening_days,
            referral.accepted_in_time,
        )

    def test_across_a_weekend(self):
        # Friday 16:00 -> Monday 10:00 (Paris): 1 h on Friday, 1 h on Monday
        referral = self.accepted(
            self.cma_arras, datetime(2026, 11, 13, 15, 0), datetime(2026, 11, 16, 9, 0)
        )
        self.assertEqual(self.delay(referral), (2.0, 0, True))

    def test_across_a_public_holiday(self):
        # Tuesday 11:00 -> Thursday 15:00: 4 h on Tuesday, the 11th closed,
        # 4 h on Thursday
        referral = self.accepted(
            self.cma_arras, datetime(2026, 11, 10, 10, 0), datetime(2026, 11, 12, 14, 0)
        )
        self.assertEqual(self.delay(referral), (8.0, 0, True))

    def test_structure_closure(self):
        """The CMA's own closure on Thursday is not an opening hour of the CMA,
        and is one of the CCI's."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Pont CMA",
                "jecree_structure_id": self.cma.id,
                "date_from": datetime(2026, 11, 11, 23, 0),
                "date_to": datetime(2026, 11, 12, 23, 0),
                "time_type": "leave",
            }
        )
        proposed, accepted = datetime(2026, 11, 10, 10, 0), datetime(2026, 11, 13, 9, 0)
        cma = self.accepted(self.cma_arras, proposed, accepted)
        cci = self.accepted(self.cci_arras, proposed, accepted)
        # Tuesday 4 h, Friday 9:00-10:00 1 h; the CCI opens on Thursday too
        self.assertEqual(self.delay(cma), (5.0, 0, True))
        self.assertEqual(self.delay(cci), (11.0, 1, True))

    def test_later_than_three_opening_days(self):
        """Proposed on Monday 10:00, accepted the next Monday 08:00: Tuesday,
        Thursday and Friday have passed (3 opening days), the reminders' count."""
        referral = self.accepted(
            self.cma_arras, datetime(2026, 11, 9, 9, 0), datetime(2026, 11, 16, 7, 0)
        )
        self.assertEqual(self.delay(referral), (5.0 + 6 * 3, 3, False))
        # on the third opening day itself it is in time
        referral = self.accepted(
            self.cma_arras, datetime(2026, 11, 9, 9, 0), datetime(2026, 11, 13, 15, 0)
        )
        self.assertEqual(self.delay(referral), (5.0 + 6 + 6 + 5, 2, True))

    def test_not_accepted(self):
        referral = self.make_referral(
            self.porteur, self.cma_arras, date_proposed=datetime(2026, 11, 9, 9, 0)
        )
        with freeze_time("2026-11-10 09:00:00"):
            referral.action_refuse("Complet")
        self.assertEqual(self.delay(referral), (0.0, 0, False))

    def test_appointment_booked_straight_away(self):
        """Booking the appointment of a referral still proposed accepts it:
        the delay is the time to the booking."""
        referral = self.make_referral(
            self.porteur,
            self.cma_arras,
            adviser_id=self.adviser_cma.id,
            date_proposed=datetime(2026, 11, 9, 9, 0),
        )
        with freeze_time("2026-11-09 13:30:00"):
            start = datetime(2026, 11, 17, 9, 0)
            referral._book_appointment(start, start + timedelta(hours=1))
        self.assertEqual(referral.state, "rdv_fixe")
        # Monday 10:00 -> 14:30 (Paris): 2 h in the morning, 0.5 h after lunch
        self.assertEqual(self.delay(referral), (2.5, 0, True))

    def test_backfill_of_existing_referrals(self):
        """Referrals accepted before the fields existed (their columns empty)
        get their delay when the fields are computed on install."""
        referral = self.accepted(
            self.cma_arras, datetime(2026, 11, 13, 15, 0), datetime(2026, 11, 16, 9, 0)
        )
        self.env.cr.execute(
            "UPDATE jecree_referral SET accept_opening_hours = NULL,"
            " accept_opening_days = NULL, accepted_in_time = NULL WHERE id = %s",
            [referral.id],
        )
        referral.invalidate_recordset()
        field = referral._fields["accept_opening_hours"]
        self.env.add_to_compute(field, referral)
        self.env.flush_all()
        referral.invalidate_recordset()
        self.assertEqual(self.delay(referral), (2.0, 0, True))
