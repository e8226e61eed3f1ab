# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request, route
from odoo.tools.misc import consteq, hmac

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.jecree_referral import PORTAL_DATE_FORMAT, PORTAL_TIME_FORMAT


class JecreeReferralPortal(CustomerPortal):
    """Advisers of a structure work their referrals in the portal. Every read and
    write goes through the adviser's own environment, so record rules apply."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        referrals = request.env["jecree.referral"]
        readable = referrals.has_access("read")
        if "jecree_referral_count" in counters:
            values["jecree_referral_count"] = (
                referrals.search_count([]) if readable else 0
            )
        if "jecree_referral_new_count" in counters:
            # the referrals waiting for the structure's answer
            values["jecree_referral_new_count"] = (
                referrals.search_count([("state", "=", "proposee")]) if readable else 0
            )
        return values

    def _jecree_success_messages(self):
        """What the referral's page says after an action went through, by the
        `message` of its URL (a key, never a text put in a link)."""
        return {
            "accept": request.env._("The referral is accepted."),
            "refuse": request.env._("The referral is declined."),
            "appointment": request.env._(
                "The appointment is confirmed; the porteur receives it by email."
            ),
            "kept": request.env._("The appointment is recorded as kept."),
            "not_kept": request.env._("The appointment is recorded as not kept."),
            "support": request.env._("The support is recorded as started."),
        }

    def _jecree_referral_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_proposed desc, id desc",
            },
            "name": {"label": request.env._("Reference"), "order": "name"},
            "porteur": {"label": request.env._("Porteur"), "order": "porteur_name"},
            "state": {"label": request.env._("Status"), "order": "state"},
        }

    def _jecree_referral_searchinputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in all")},
            "porteur": {
                "input": "porteur",
                "label": request.env._("Search in porteur"),
            },
            "name": {"input": "name", "label": request.env._("Search in reference")},
        }

    def _jecree_referral_search_domain(self, search_in, search):
        # a NUL character cannot be sent to the database
        search = (search or "").replace("\x00", "")
        if not search:
            return Domain.TRUE
        domains = {
            "porteur": Domain("porteur_name", "ilike", search),
            "name": Domain("name", "ilike", search),
        }
        if search_in in domains:
            return domains[search_in]
        return Domain.OR(domains.values())

    @route(
        ["/my/referrals", "/my/referrals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_jecree_referrals(
        self, page=1, sortby="date", search=None, search_in="all", **kw
    ):
        Referral = request.env["jecree.referral"]
        # ?page= comes as text: the pager takes "²" for a number
        page = int(page) if str(page).isdecimal() else 1
        sortings = self._jecree_referral_sortings()
        sortby = sortby if sortby in sortings else "date"
        search_in = (
            search_in if search_in in self._jecree_referral_searchinputs() else "all"
        )
        domain = self._jecree_referral_search_domain(search_in, search)
        count = Referral.search_count(domain) if Referral.has_access("read") else 0
        pager = portal_pager(
            url="/my/referrals",
            url_args={"sortby": sortby, "search": search, "search_in": search_in},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        referrals = (
            Referral.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Referral
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "referrals": referrals,
                "page_name": "jecree_referral",
                "pager": pager,
                "default_url": "/my/referrals",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": self._jecree_referral_searchinputs(),
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("jecree_referral.portal_my_referrals", values)

    def _jecree_referral_get(self, referral_id, mode="read"):
        """The referral in the adviser's environment, after the access check
        (a referral of another structure raises AccessError/MissingError)."""
        referral = request.env["jecree.referral"].browse(referral_id).exists()
        if not referral:
            raise MissingError(request.env._("This referral does not exist."))
        referral.check_access(mode)
        return referral

    def _jecree_referral_or_error(self, referral_id, mode):
        try:
            return self._jecree_referral_get(referral_id, mode)
        except AccessError:
            raise Forbidden() from None
        except MissingError:
            raise NotFound() from None

    @staticmethod
    def _jecree_error_signature(referral_id, message):
        """The signature of the refusal message shown back on a referral's page:
        the page shows a message its own action wrote, not any text put in a link."""
        return hmac(
            request.env(su=True), "jecree_referral.error", f"{referral_id}:{message}"
        )

    @route(["/my/referrals/<int:referral_id>"], type="http", auth="user", website=True)
    def portal_my_jecree_referral(
        self, referral_id, error=None, sig="", message=None, **kw
    ):
        referral = self._jecree_referral_or_error(referral_id, "read")
        if error and not consteq(
            str(sig), self._jecree_error_signature(referral.id, error)
        ):
            error = None
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "referral": referral,
                "antenna": referral.sudo().antenna_id,
                "page_name": "jecree_referral",
                "error": error,
                "success": not error
                and self._jecree_success_messages().get(str(message)),
                "call_notes": referral._jecree_porteur_call_notes(),
                "phone_uri": self._jecree_phone_uri(referral.porteur_phone),
                # the current appointment, as the adviser types one
                "appointment_date": referral._jecree_format_appointment(
                    referral.appointment_start, PORTAL_DATE_FORMAT
                ),
                "appointment_time": referral._jecree_format_appointment(
                    referral.appointment_start, PORTAL_TIME_FORMAT
                ),
            }
        )
        return request.render("jecree_referral.portal_my_referral", values)

    @route(
        ["/my/referrals/<int:referral_id>/<string:action>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_jecree_referral_action(self, referral_id, action, **post):
        referral = self._jecree_referral_or_error(referral_id, "write")
        url = f"/my/referrals/{referral.id}"
        try:
            if action == "accept":
                referral.action_accept()
            elif action == "refuse":
                referral.action_refuse(post.get("reason"))
            elif action == "appointment":
                self._jecree_confirm_appointment(referral, post)
            elif action == "kept":
                referral.action_mark_kept()
            elif action == "not_kept":
                referral.action_mark_not_kept()
            elif action == "support":
                referral.action_start_support()
            else:
                raise NotFound()
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            message = error.args[0]
            signature = self._jecree_error_signature(referral.id, message)
            query = urlencode({"error": message, "sig": signature})
            return request.redirect(f"{url}?{query}")
        return request.redirect(f"{url}?{urlencode({'message': action})}")

    @staticmethod
    def _jecree_phone_uri(phone):
        """The tel: link of a phone number (E.164 when it is a valid French one)."""
        if not phone:
            return False
        number = request.env["crm.lead"]._jecree_format_phone(phone) or phone
        return "tel:" + "".join(number.split())

    def _jecree_confirm_appointment(self, referral, post):
        """Confirm (or move) the appointment; the date and time are typed in the
        structure's time zone, as the page shows them, whatever the adviser's: a
        date (jj/mm/aaaa) and a time, or one `appointment_start` as a browser's
        datetime-local sends it (aaaa-mm-jjThh:mm)."""
        if "appointment_date" in post:
            day, hour = post.get("appointment_date"), post.get("appointment_time")
        else:
            day, _sep, hour = (post.get("appointment_start") or "").partition("T")
        start, stop = referral._jecree_parse_appointment(day, hour)
        # the adviser who confirms becomes the referral's adviser if it has none
        partner = request.env.user.partner_id
        adviser = referral.sudo().adviser_id or (
            partner if partner.jecree_is_adviser else partner.browse()
        )
        referral._book_appointment(start, stop, adviser)
