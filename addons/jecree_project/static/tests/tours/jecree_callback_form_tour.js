/** @odoo-module **/
// A visitor asks to be called back on the public form, with the keyboard only
// (no mouse click on a field): name, phone, postal code with several communes,
// project, consent; the form comes back asking for the commune, then the
// thank-you page. axe-core (served by the test, loaded again after each page load) checks every page: no serious or critical violation.
import {registry} from "@web/core/registry";

async function checkAccessibility() {
    if (!window.axe) {
        // the test serves axe-core as a public attachment and gives its address
        const response = await fetch(sessionStorage.getItem("jecree_axe_url"));
        // eslint-disable-next-line no-eval
        (0, eval)(await response.text());
    }
    const result = await window.axe.run(document, {resultTypes: ["violations"]});
    const bad = result.violations.filter((violation) =>
        ["serious", "critical"].includes(violation.impact)
    );
    if (bad.length) {
        throw new Error(
            "axe-core: " +
                JSON.stringify(
                    bad.map((violation) => ({
                        id: violation.id,
                        impact: violation.impact,
                        nodes: violation.nodes.map((node) => node.target),
                    }))
                )
        );
    }
    console.info(
        "axe-core, minor or moderate: " +
            JSON.stringify(result.violations.map((violation) => violation.id))
    );
}

registry.category("web_tour.tours").add("jecree_callback_form_tour", {
    url: "/jecree/rappel",
    steps: () => [
        {
            trigger: "form[action='/jecree/rappel'] #jc_contact_name",
            content: "The empty form: accessible",
            run: checkAccessibility,
        },
        {trigger: "#jc_contact_name", run: "edit Tour Porteuse"},
        {trigger: "#jc_phone", run: "edit 06 11 22 33 44"},
        {trigger: "#jc_email", run: "edit tour.porteuse@example.com"},
        {trigger: "#jc_zip_code", run: "edit 62000"},
        {trigger: "#jc_project_kind", run: "select reprise"},
        {trigger: "#jc_sector", run: "select artisanat"},
        {trigger: "#jc_notes", run: "edit Reprise d'une boulangerie"},
        {trigger: "#jc_consent", run: "check"},
        {
            trigger: "button[type=submit]",
            content: "Send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#jc_errors:contains(Plusieurs communes)",
            content: "62000 has several communes: the form asks which, with the errors listed first",
            run: checkAccessibility,
        },
        {trigger: "#jc_contact_name:value(Tour Porteuse)"},
        {trigger: "#jc_commune_id", run: "selectByLabel Arras"},
        {
            trigger: "button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "h1:contains(Merci)",
            content: "The thank-you page says when the adviser calls",
            run: checkAccessibility,
        },
    ],
});
