/** @odoo-module **/
// The agent takes a new call, saves it, refers the porteur and books the adviser's
// first free slot, and reads the confirmation; the adviser accepts a referral in
// the portal.
import {arrasArtisanSteps} from "@jecree_project/../tests/tours/jecree_intake_tour";
import {registry} from "@web/core/registry";

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
