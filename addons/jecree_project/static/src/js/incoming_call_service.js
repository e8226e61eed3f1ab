/* Copyright 2026 Je crée
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {_t} from "@web/core/l10n/translation";
import {markup} from "@odoo/owl";
import {htmlJoin} from "@web/core/utils/html";
import {registry} from "@web/core/registry";

/**
 * The screen pop: when the phone of this agent rings, the phone system's event
 * reaches the agent's own bus channel (`jecree_incoming_call`) and this service
 * shows who is calling, with one key to open "Nouvel appel" pre-filled. The pop
 * closes when the call hangs up or another agent answers it.
 */
export const jecreeIncomingCallService = {
    dependencies: ["bus_service", "notification", "action"],
    start(env, {bus_service, notification, action}) {
        // the screen pops shown, by phone system call: closed when the call
        // hangs up or another agent answers it (`jecree_call_closed`)
        const shown = new Map();
        bus_service.subscribe("jecree_call_closed", ({call_id}) => {
            const close = shown.get(call_id);
            if (close) {
                close();
            }
        });
        bus_service.subscribe("jecree_incoming_call", (payload) => {
            const close = notification.add(
                htmlJoin(payload.lines || [], markup("<br/>")),
                {
                    title: payload.title,
                    type: "info",
                    sticky: true,
                    className: "o_jecree_incoming_call",
                    onClose: () => shown.delete(payload.call_id),
                    buttons: [
                        {
                            name: _t("New call"),
                            primary: true,
                            onClick: () => {
                                close();
                                action.doAction("jecree_project.jecree_call_intake_action", {
                                    additionalContext: payload.context || {},
                                });
                            },
                        },
                    ],
                }
            );
            if (payload.call_id) {
                shown.set(payload.call_id, close);
            }
        });
    },
};

registry.category("services").add("jecree_incoming_call", jecreeIncomingCallService);
