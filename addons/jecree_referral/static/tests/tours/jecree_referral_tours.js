/** @odoo-module **/
// The agent takes a new call, saves it, refers the porteur and books the adviser's
// first free slot, and reads the confirmation; the adviser, as a first-time user,
// logs in, lands on the referrals, accepts one and books its appointment. The
// adviser's pages are checked with axe-core (RGAA): the test (tests/test_tours.py)
// injects axe-core into every page of the adviser's browser.
import {arrasArtisanSteps} from "@jecree_project/../tests/tours/jecree_intake_tour";
import {registry} from "@web/core/registry";

/** The impacts of axe-core's violations that fail the tour. */
const BLOCKING_IMPACTS = ["serious", "critical"];

/**
 * Run axe-core on the page; throw (the tour fails) on a serious or critical
 * violation, with the rules' ids and the elements concerned.
 */
async function checkAccessibility(page) {
    if (!window.axe) {
        throw new Error(`axe-core is not loaded on ${page}`);
    }
    const results = await window.axe.run(document, {resultTypes: ["violations"]});
    const blocking = results.violations.filter((violation) =>
        BLOCKING_IMPACTS.includes(violation.impact),
    );
    if (blocking.length) {
        const details = blocking.map(
            (violation) =>
                `${violation.id} (${violation.impact}): ` +
                violation.nodes
                    .map(
                        (node) => `${node.target.join(" ")} ${node.html.slice(0, 200)}`,
                    )
                    .join(", "),
        );
        throw new Error(`axe-core on ${page}: ${details.join("; ")}`);
    }
    console.log(`axe-core on ${page}: no serious or critical violation`);
}

function accessibilityStep(trigger, page) {
    return {
        trigger,
        content: `Accessibility of ${page}`,
        timeout: 60000,
        async run() {
            await checkAccessibility(page);
        },
    };
}

/** A date a week ahead, as the adviser types it (jj/mm/aaaa). */
function nextWeek() {
    const day = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const pad = (number) => String(number).padStart(2, "0");
    return `${pad(day.getDate())}/${pad(day.getMonth() + 1)}/${day.getFullYear()}`;
}

registry.category("web_tour.tours").add("jecree_referral_agent_tour", {
    url: "/odoo/action-jecree_project.jecree_call_intake_action",
    steps: () => [
        {
            trigger: ".modal .o_field_widget[name=phone] input",
            content: "A new call: the caller's phone",
            run: "edit 06 55 44 33 22 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=contact_name] input",
            run: "edit Tour Porteur && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=zip_code] input",
            run: "edit 62000 && press Tab",
        },
        ...arrasArtisanSteps(),
        {
            trigger: ".modal footer button[name=action_save]",
            content: "Save the call: the porteur's form opens",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_statusbar button[name=action_jecree_refer]",
            content: "Refer the porteur",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:has(td:contains(CMA – Arras)) td[name=capacity_label]:contains(2)",
            content: "The CMA antenna covering Arras, its monthly capacity",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:has(td:contains(CMA – Arras)) .o_field_boolean_toggle input",
            content: "Choose it",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:has(td:contains(CMA – Arras)) .o_field_boolean_toggle input:checked",
        },
        {
            trigger: ".modal footer button[name=action_refer]",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=adviser_id] input:value(Conseillère CMA)",
            content: "The antenna's adviser is proposed",
        },
        {
            trigger: ".modal .o_jecree_slots_by_day section:first-child h3",
            content: "The free slots, day by day",
        },
        {
            trigger:
                ".modal .o_jecree_slots_by_day section:first-child button.o_jecree_slot:first-child",
            content: "Book the first free slot",
            run: "click",
        },
        {
            trigger:
                ".modal div[name=done] .o_field_widget[name=appointment_summary]:contains(Appointment set on)",
            content: "The appointment to tell the porteur: date, place, address",
        },
        {
            trigger: ".modal footer button:contains(Done)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger:
                ".o_form_view button[name=action_schedule_meeting]:contains(Next Meeting)",
            content: "The porteur's meetings count the appointment",
        },
    ],
});

registry.category("web_tour.tours").add("jecree_referral_portal_tour", {
    steps: () => {
        const day = nextWeek();
        return [
            accessibilityStep("form.oe_login_form input[name=login]", "the login page"),
            {
                trigger: "form.oe_login_form input[name=login]",
                content: "The adviser types their login",
                run: "edit jr_portal_cma",
            },
            {
                trigger: "form.oe_login_form input[name=password]",
                run: "edit jr_portal_cma",
            },
            {
                trigger: "form.oe_login_form button[type=submit]",
                content: "Log in",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: "a.o_jecree_referral_link:contains(ORI/)",
                content: "The adviser lands on their referrals",
                timeout: 30000,
                run() {
                    if (window.location.pathname !== "/my/referrals") {
                        throw new Error(
                            `The adviser landed on ${window.location.pathname}, not /my/referrals`,
                        );
                    }
                },
            },
            accessibilityStep("a.o_jecree_referral_link", "the list of referrals"),
            {
                trigger: "tr:has(td:contains(Porteuse Tour)) a.o_jecree_referral_link",
                content: "Open the referral",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: ".o_jecree_call_notes:contains(Boulangerie au village)",
                content: "The notes of the porteur's calls",
                timeout: 30000,
            },
            {
                trigger: "a.o_jecree_porteur_phone[href^='tel:']",
                content: "The porteur's phone is a link",
            },
            accessibilityStep("button.o_jecree_accept", "a proposed referral"),
            {
                trigger: "button.o_jecree_accept",
                content: "Accept it",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: ".o_jecree_success",
                content: "The referral is accepted, the page says so",
                timeout: 30000,
            },
            accessibilityStep(".o_jecree_success", "an accepted referral"),
            {
                trigger: "input#appointment_date",
                content: "The appointment's date, as dd/mm/yyyy",
                run: `edit ${day}`,
            },
            {
                trigger: "input#appointment_time",
                run: "edit 10:00",
            },
            {
                trigger: "button.o_jecree_appointment",
                content: "Confirm the appointment",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: ".o_jecree_success",
                content: "The appointment is confirmed, the page says so",
                timeout: 30000,
            },
            {
                trigger: `input#appointment_date:value(${day})`,
                content: "The date field holds the appointment",
            },
            {
                trigger: "input#appointment_time:value(10:00)",
            },
            {
                trigger: ".o_jecree_appointment_label:contains(10:00)",
            },
            accessibilityStep(
                ".o_jecree_appointment_label",
                "a referral with its appointment",
            ),
            {
                trigger: ".o_portal_submenu a[href='/my/home']",
                content: "Back to the portal's home",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: ".o_jecree_new_count [data-placeholder_count]:contains(1)",
                content: "The referrals' card counts the one still to answer",
                timeout: 30000,
            },
            accessibilityStep(".o_jecree_new_count", "the portal's home"),
        ];
    },
});

registry.category("web_tour.tours").add("jecree_referral_portal_phone_tour", {
    steps: () => [
        {
            trigger: ".o_jecree_referral_card .o_jecree_referral_card_state",
            content: "On a phone, each referral is a card with its status in sight",
            timeout: 30000,
            run() {
                const root = document.documentElement;
                if (root.scrollWidth > root.clientWidth) {
                    throw new Error(
                        `The list scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth} px`,
                    );
                }
                const state = this.anchor.getBoundingClientRect();
                if (state.right > root.clientWidth || state.left < 0) {
                    throw new Error("The status is out of the screen");
                }
            },
        },
        {
            trigger: "a.o_jecree_referral_link:not(:visible)",
            content: "The table is hidden on a phone",
        },
        accessibilityStep(
            ".o_jecree_referral_card",
            "the list of referrals on a phone",
        ),
    ],
});
