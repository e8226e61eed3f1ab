# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import os
import re

import polib
from markupsafe import escape

from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools import SQL
from odoo.tools.misc import file_path


class JecreeProjectCase(TransactionCase):
    """Users with the least rights each feature needs, and an intake helper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(
            cls.env,
            login="jc_agent",
            name="Agent Test",
            groups="jecree_project.group_jecree_agent",
        )
        cls.agent2 = new_test_user(
            cls.env,
            login="jc_agent2",
            name="Agent Two",
            groups="jecree_project.group_jecree_agent",
        )
        cls.manager = new_test_user(
            cls.env,
            login="jc_manager",
            name="Manager Test",
            groups="jecree_project.group_jecree_manager",
        )
        cls.lille = cls.env.ref("jecree_project.res_city_fr_59350")
        cls.arras = cls.env.ref("jecree_project.res_city_fr_62041")
        cls.need_info = cls.env.ref("jecree_project.jecree_need_information")
        cls.need_funding = cls.env.ref("jecree_project.jecree_need_financement")

    def intake_form(self, user=None, **values):
        """An intake screen as `user` (the agent by default), filled with values."""
        env = self.env(user=user or self.agent)
        form = Form(env["jecree.call.intake"])
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def save_intake(self, user=None, **values):
        form = self.intake_form(user=user, **values)
        intake = form.save()
        return intake, intake.action_save()

    def porteurs(self):
        return self.env["crm.lead"].search([("is_porteur", "=", True)])


class NothingWrittenMixin:
    """Bad input is refused with nothing written, checked so that the check fails
    when something is written: the rows of the watched tables (their number and
    their content) read in SQL before and after the refused call, in the same
    transaction, with no savepoint rolled back in between (Odoo's `assertRaises`
    rolls back to a savepoint: what a refused call wrote would be gone before any
    check after it)."""

    WATCHED_TABLES = ("crm_lead", "crm_phonecall", "mail_activity")

    def table_states(self, tables=None):
        """{table: (rows, md5 of all their columns)}, after flushing the ORM and
        running what waits for the commit (tracking messages)."""
        self.env.cr.flush()
        self.env.flush_all()
        states = {}
        for table in tables or self.WATCHED_TABLES:
            self.env.cr.execute(
                SQL(
                    "SELECT count(*), md5(COALESCE(string_agg(t::text, '|'"
                    " ORDER BY t.id), '')) FROM %s t",
                    SQL.identifier(table),
                )
            )
            states[table] = self.env.cr.fetchone()
        return states

    def assertRefusedNothingWritten(self, exception, call, message=None, tables=None):
        """`call()` raises `exception` (whose text holds `message`) and leaves the
        watched tables as they were; returns the exception."""
        before = self.table_states(tables)
        try:
            call()
        except exception as error:
            refused = error
        else:
            self.fail("accepted instead of refused")
        if message:
            self.assertIn(message, str(refused))
        after = self.table_states(tables)
        changed = [table for table in before if before[table] != after[table]]
        self.assertFalse(changed, f"refused, but written in {changed}")
        return refused


class FrenchTranslationMixin:
    """Helpers of each addon's French test: fr.po covers the whole .pot, and French
    is loaded. Odoo's test loader runs only the test methods a test module defines,
    so each addon's test calls ``assert_fr_po_complete`` from its own method."""

    MODULE = None
    MIN_ENTRIES = 100

    def _msgids(self, filename):
        po = polib.pofile(file_path(f"{self.MODULE}/i18n/{filename}"))
        return {entry.msgid: entry.msgstr for entry in po}

    def assert_fr_po_complete(self):
        pot = self._msgids(f"{self.MODULE}.pot")
        fr = self._msgids("fr.po")
        self.assertGreater(len(pot), self.MIN_ENTRIES)
        missing = sorted(set(pot) - {src for src, value in fr.items() if value})
        self.assertFalse(missing, f"untranslated in fr.po: {missing[:20]}")

    def french_env(self):
        """An environment in French, with this addon's translations loaded."""
        load_french(self.env, self.MODULE)
        return self.env(context={"lang": "fr_FR"})


def load_french(env, module="jecree_project"):
    """Activate French and load the French translations of `module`."""
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"].search([("name", "=", module)])._update_translations(
        "fr_FR"
    )


#: text a user may type in any field (a name, a summary, a reason, a note)
XSS_PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
XSS = "".join(XSS_PAYLOADS)


class EscapedHtmlMixin:
    """Checks that the payloads of ``XSS`` are shown as text, never as markup."""

    def assert_escaped(self, html, where):
        """`html` shows the payloads, escaped (so the check cannot pass on a page
        that does not show them at all)."""
        html = str(html)
        for payload in XSS_PAYLOADS:
            self.assertNotIn(payload, html, f"{where}: unescaped {payload}")
            self.assertIn(str(escape(payload)), html, f"{where}: {payload} not shown")

    def assert_sanitised(self, html, where):
        """HTML typed as HTML (a chatter note): the sanitiser removed what runs."""
        html = str(html)
        for payload in XSS_PAYLOADS:
            self.assertNotIn(payload, html, f"{where}: unescaped {payload}")
        self.assertNotIn("<script", html, where)
        self.assertNotIn("onerror", html, where)


def french_messages(module):
    """(regex, msgid) of every French message of the module: placeholders
    (``%(name)s``, ``%(name)r``, ``%(name)d``, ``%s``) match anything."""
    po = polib.pofile(file_path(f"{module}/i18n/fr.po"))
    messages = []
    for entry in po:
        if not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        text = re.sub(r"%\\\([a-z_]+\\\)[srd]|%s", ".*", re.escape(entry.msgstr))
        messages.append((re.compile(f"^{text}$", re.S), entry.msgid))
    return messages


def french_patterns(module):
    """Regexes of every French message of the module (placeholders as wildcards)."""
    return [regex for regex, _msgid in french_messages(module)]


def fuzz_cases(default=100):
    """How many cases a seeded fuzz test runs: `JECREE_FUZZ_CASES` (`make fuzz` sets
    1,000), else `default`, the short version `make test` runs. The cases are the
    first ones of the same seeded sequence, so the short run is a prefix of the long."""
    return int(os.environ.get("JECREE_FUZZ_CASES") or default)


def random_fields(rng, choices, probability):
    """Some of the (name, values) pairs, each kept with `probability` and given one
    of its values at random: what a fuzz test sends of a form."""
    return {
        name: rng.choice(values)
        for name, values in choices
        if rng.random() < probability
    }
