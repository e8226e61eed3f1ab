/** @odoo-module **/
// An agent opens CRM > Porteurs > To call back (À rappeler): the J+8 call-backs and
// the web requests in one list, each with its kind and the porteur's phone; Call
// back on the web request opens "Nouvel appel" on that porteur; the missed calls
// (their own queue) are one click away.
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("jecree_callback_queue_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open CRM",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='jecree_project.jecree_project_menu']",
            content: "Porteurs",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='jecree_followup.mail_activity_callback_menu']",
            content: "To call back",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(Porteur J8):contains(J+8 call-back) td[name=jecree_phone]:contains(06 12 12 12 12)",
            content: "The J+8 call-back is listed, with the phone",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Inès Web):contains(As soon as possible) button[name=action_jecree_call_back]",
            content: "Call back the web request",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=phone] input:value(+33 6 55 44 33 22)",
            content: "Nouvel appel opens on the number",
        },
        {
            trigger: ".modal .o_field_widget[name=lead_id] input:value(Inès Web)",
            content: "... and the porteur",
        },
        {
            trigger: ".modal .btn-close",
            content: "Close Nouvel appel",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) button:contains(Missed calls)",
            content: "Missed calls, their own queue, one click away",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Missed calls)",
            content: "The missed calls are listed",
        },
        {
            trigger: ".o_control_panel:has(.o_breadcrumb:contains(Missed calls)) button:contains(To call back)",
            content: "... with the way back to the call-backs",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Porteur J8)",
            content: "Back on the call-backs",
        },
    ],
});
