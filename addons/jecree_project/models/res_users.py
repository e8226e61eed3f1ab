# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

#: what `_jecree_agent_of_extension` caches depends on (a change clears it)
AGENT_CACHE_FIELDS = {
    "jecree_phone_extension",
    "active",
    "partner_id",
    "lang",
    "group_ids",
    "share",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    jecree_phone_extension = fields.Char(
        string="Phone extension",
        copy=False,
        help="The extension of the agent's phone on the call center's phone system: "
        "an incoming call ringing on it shows the caller on the agent's screen, and "
        "click-to-dial rings it first.",
    )

    _jecree_phone_extension_unique = models.UniqueIndex(
        "(jecree_phone_extension) WHERE jecree_phone_extension IS NOT NULL",
        "Another user already has this phone extension.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["jecree_phone_extension"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["jecree_phone_extension"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "jecree_phone_extension" in vals:
                vals["jecree_phone_extension"] = self._jecree_check_extension(
                    vals["jecree_phone_extension"]
                )
        users = super().create(vals_list)
        if any(vals.get("jecree_phone_extension") for vals in vals_list):
            self.env.registry.clear_cache()  # _jecree_agent_of_extension
        return users

    def write(self, vals):
        if "jecree_phone_extension" in vals:
            vals = dict(
                vals,
                jecree_phone_extension=self._jecree_check_extension(
                    vals["jecree_phone_extension"], self
                ),
            )
        result = super().write(vals)
        if AGENT_CACHE_FIELDS & set(vals):
            self.env.registry.clear_cache()  # _jecree_agent_of_extension
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _jecree_agent_of_extension
        return result

    @api.model
    def _jecree_check_extension(self, extension, users=None):
        """`extension` cleaned, and nobody else's (the unique index decides
        between two saves at the same time; this says it in French)."""
        extension = self._jecree_clean_extension(extension)
        if extension:
            if users is not None and len(users) > 1:
                raise ValidationError(self.env._("A phone extension is one user's."))
            taken = (
                self.sudo()
                .with_context(active_test=False)
                .search_count(
                    [
                        ("jecree_phone_extension", "=", extension),
                        ("id", "not in", (users or self.browse()).ids),
                    ],
                    limit=1,
                )
            )
            if taken:
                raise ValidationError(
                    self.env._(
                        "Another user already has the phone extension %s.", extension
                    )
                )
        return extension

    @api.model
    def _jecree_clean_extension(self, extension):
        """An extension as the phone system sends it: digits (and * or #), no
        blanks; empty is none."""
        if not extension:
            return False
        extension = "".join(str(extension).split())
        if not extension:
            return False
        if len(extension) > 20 or not all(c.isdigit() or c in "*#" for c in extension):
            raise ValidationError(
                self.env._(
                    "The phone extension %s is not valid: digits only, for example "
                    "201.",
                    extension[:40],
                )
            )
        return extension

    @api.model
    def _jecree_user_of_extension(self, extension):
        """The internal user whose phone has `extension` (none if nobody's)."""
        agent = self._jecree_agent_of_extension(extension)
        return self.browse(agent[0] if agent else ())

    @api.model
    def _jecree_agent_of_extension(self, extension):
        """``(user id, partner id, language)`` of the internal user whose phone has
        `extension`, or None: what the screen pop needs (whose screen, in which
        language), without a query once known."""
        try:
            extension = self._jecree_clean_extension(extension)
        except ValidationError:
            return None
        if not extension:
            return None
        return self._jecree_agent_of_clean_extension(extension)

    @api.model
    @tools.ormcache("extension")
    def _jecree_agent_of_clean_extension(self, extension):
        """Cached: asked at every ringing call; cleared when a user's extension,
        language, partner, groups or archiving change (`write`; a partner's
        language: res.partner's `write`)."""
        user = self.sudo().search_fetch(
            [("jecree_phone_extension", "=", extension), ("share", "=", False)],
            ["partner_id", "lang"],
            limit=1,
        )
        return (user.id, user.partner_id.id, user.lang or None) if user else None
