# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def cached_ref(env, xmlid):
    """The record of `xmlid`, from Odoo's cached table of external ids.

    ``env.ref`` checks that the record exists with a query at every call; the hot
    paths (the intake, the J+8 scheduling) ask for the same few records (France,
    the J+8 activity type, a cron) several times per call logged. Their records
    are data of the addons, not deleted while the addons are installed."""
    model, res_id = env["ir.model.data"]._xmlid_to_res_model_res_id(
        xmlid, raise_if_not_found=True
    )
    return env[model].browse(res_id)
