/** @odoo-module **/
// The phone rings on the agent's extension: the phone system's event pops the
// caller on the agent's screen; "New call" opens the screen filled; save.
import {registry} from "@web/core/registry";

// a test fixture: the token of the test's phone system (tests/test_screen_pop_tour.py)
const TOKEN = "screen-pop-tour-token";

async function phoneSystem(event) {
    const response = await fetch("/jecree/telephony/event", {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${TOKEN}`,
        },
        body: JSON.stringify(event),
    });
    if (response.status !== 200) {
        throw new Error(`webhook answered ${response.status}`);
    }
}

registry.category("web_tour.tours").add("jecree_screen_pop_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_main_navbar",
            content: "A new caller rings on extension 601",
            run: () =>
                phoneSystem({
                    event: "ringing",
                    call_id: "tour-0",
                    from: "06 12 00 00 01",
                    extension: "601",
                }),
        },
        {
            trigger: ".o_jecree_incoming_call:contains(6 12 00 00 01)",
            content: "The new caller pops up",
            run: () => phoneSystem({event: "hangup", call_id: "tour-0"}),
        },
        {
            trigger: "body:not(:has(.o_jecree_incoming_call))",
            content: "The caller hung up: the pop closes",
            run: () =>
                phoneSystem({
                    event: "ringing",
                    call_id: "tour-1",
                    from: "03 21 98 76 54",
                    extension: "601",
                }),
        },
        {
            trigger: ".o_jecree_incoming_call:contains(Léa Tournée)",
            content: "The known porteur pops up",
        },
        {
            trigger: ".o_jecree_incoming_call button:contains(New call)",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=lead_id] input:value(Porteur tournée)",
            content: "The screen is filled with the porteur",
        },
        {
            trigger: ".modal footer button[name=action_save]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains(Project)",
            content: "The porteur's form opens",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=phonecall_ids] .o_data_row",
            content: "The call is logged on the porteur",
        },
    ],
});
