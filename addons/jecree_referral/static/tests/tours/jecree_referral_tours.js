/** @odoo-module **/
// The agent refers a porteur and books the adviser's first free slot; the adviser
// accepts a referral in the portal.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("jecree_referral_agent_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_form_statusbar button[name=action_jecree_refer]",
            content: "Refer the porteur",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:first-child td:contains(CMA – Arras)",
            content: "The CMA antenna covering the village comes first",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:first-child .o_field_boolean_toggle input",
            content: "Choose it",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:first-child .o_field_boolean_toggle input:checked",
        },
        {
            trigger: ".modal footer button[name=action_refer]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=adviser_id] input:value(Conseillère CMA)",
            content: "The antenna's adviser is proposed",
        },
        {
            trigger: ".modal .o_field_widget[name=slot_ids] .o_data_row:first-child button[name=action_book]",
            content: "Book the first free slot",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains(Referrals)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=jecree_referral_ids] td:contains(Appointment set)",
            content: "The referral is on the porteur, appointment set",
        },
    ],
});

registry.category("web_tour.tours").add("jecree_referral_portal_tour", {
    steps: () => [
        {
            trigger: "a.o_jecree_referral_link:contains(ORI/)",
            content: "Open the referral",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "button.o_jecree_accept",
            content: "Accept it",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_jecree_referral_state:contains(Accepted)",
        },
    ],
});
