/** @odoo-module **/
// An agent takes a call with the keyboard: CRM > Nouvel appel, phone, name,
// postal code, qualification, save; the porteur's form opens.
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("jecree_intake_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open CRM",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='jecree_project.jecree_call_intake_menu']",
            content: "New call",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=phone] input",
            content: "The caller's phone, as the agent hears it",
            run: "edit 09 77 66 55 44 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=contact_name] input",
            run: "edit Tour Porteur && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=zip_code] input",
            run: "edit 62000 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=commune_id] input",
            content: "62000 has several communes: the agent chooses",
            run: "edit Arr",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Arras)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=commune_id] input:value(Arras)",
        },
        {
            trigger: ".modal .o_field_widget[name=sector] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Artisanat)",
            run: "click",
        },
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
            trigger: ".o_form_view .o_field_widget[name=commune_id] input:value(Arras)",
            content: "The porteur's form is open",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains(Project)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=phonecall_ids] td:contains(Boulangerie à reprendre)",
            content: "The call is logged on the porteur",
        },
    ],
});
