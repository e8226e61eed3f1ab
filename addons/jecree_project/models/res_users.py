# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
        return super().create(vals_list)

    def write(self, vals):
        if "jecree_phone_extension" in vals:
            vals = dict(
                vals,
                jecree_phone_extension=self._jecree_check_extension(
                    vals["jecree_phone_extension"], self
                ),
            )
        return super().write(vals)

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
        try:
            extension = self._jecree_clean_extension(extension)
        except ValidationError:
            return self.browse()
        if not extension:
            return self.browse()
        return (
            self.sudo()
            .search_fetch(
                [("jecree_phone_extension", "=", extension), ("share", "=", False)],
                ["jecree_phone_extension", "partner_id", "lang"],
                limit=1,
            )
            .sudo(False)
        )
