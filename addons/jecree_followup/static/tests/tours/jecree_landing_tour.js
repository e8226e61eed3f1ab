/** @odoo-module **/
// Each role lands where its day starts: a manager on the dashboard (today's
// figures, one click to the referrals waiting), an agent on their call-backs to
// make, "To call back" (one click to "New call").
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("jecree_manager_landing_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=calls_today]",
            content: "The manager lands on the dashboard",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=target_share]",
            content: "The month against the objective",
        },
        {
            trigger: ".o_form_view button[name=action_open_referrals_waiting]",
            content: "Open the referrals waiting",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row",
            content: "The referrals waiting are listed",
        },
    ],
});

registry.category("web_tour.tours").add("jecree_agent_landing_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row button[name=action_jecree_call_back]",
            content: "The agent lands on their call-backs to make",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='jecree_project.jecree_call_intake_menu']",
            content: "New call is one click away",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=phone] input",
            content: "The intake screen opens",
        },
    ],
});
