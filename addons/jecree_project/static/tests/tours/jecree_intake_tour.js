/** @odoo-module **/
// An agent takes two calls of the same caller with the keyboard: CRM > Nouvel
// appel, phone, name, postal code (62000: Arras or Dainville, offered at once),
// save; the porteur's own form opens, without sales fields. The caller calls
// again: the screen says what we know of them; saved, the breadcrumbs do not
// pile up.
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

const newCall = [
    {
        trigger:
            ".o_menu_sections [data-menu-xmlid='jecree_project.jecree_call_intake_menu']",
        content: "New call",
        run: "click",
    },
    {
        trigger: ".modal .o_jecree_call_timer",
        content: "The call's timer runs from the screen's opening",
    },
    {
        trigger: ".modal .o_field_widget[name=phone] input",
        content: "The caller's phone, as the agent hears it",
        run: "edit 09 77 66 55 44 && press Tab",
    },
];

/**
 * On the "New call" screen, once 62000 is typed: Arras chosen among the
 * communes offered, the sector Artisanat (the referral tour reuses them).
 */
export function arrasArtisanSteps() {
    return [
        {
            trigger: ".modal .o_field_radio[name=commune_id] label:contains(Arras)",
            content: "The agent chooses Arras",
            run: "click",
        },
        {
            trigger: ".modal .o_field_radio[name=commune_id] input:checked",
        },
        {
            trigger: ".modal .o_field_widget[name=sector] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Artisanat)",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("jecree_intake_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open CRM",
            run: "click",
        },
        ...newCall,
        {
            trigger: ".modal .o_field_widget[name=contact_name] input",
            run: "edit Tour Porteur && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=zip_code] input",
            run: "edit 62000 && press Tab",
        },
        {
            trigger: ".modal .o_field_radio[name=commune_id] label:contains(Dainville)",
            content: "62000 has two communes: both are offered",
        },
        ...arrasArtisanSteps(),
        {
            trigger: ".modal .o_field_widget[name=notes] textarea",
            run: "edit Boulangerie à reprendre && press Tab",
        },
        {
            trigger: ".modal footer button[name=action_save]",
            content: "Save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button[data-value=idee]",
            content: "The porteur's form: the project's stage, not a sales pipeline",
        },
        {
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name=probability], .o_field_widget[name=expected_revenue], .o_field_priority))",
            content: "No revenue, probability or stars",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains(Project)",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=phonecall_ids] td:contains(Boulangerie à reprendre)",
            content: "The call is logged on the porteur",
        },
        // the same caller calls again
        ...newCall,
        {
            trigger: ".modal div[name=returning_banner]:contains(1 call(s))",
            content: "A returning caller: what we know of them",
        },
        {
            trigger: ".modal footer button[name=action_save]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=phonecall_count]:contains(2)",
            content: "The second call is on the porteur",
        },
        {
            trigger: ".o_breadcrumb:not(:has(.o_back_button))",
            content: "One breadcrumb: the porteur's form, not a pile of calls",
        },
    ],
});
