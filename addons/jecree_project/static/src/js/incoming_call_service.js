/* Copyright 2026 Je crée
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {_t} from "@web/core/l10n/translation";
import {markup} from "@odoo/owl";
import {htmlJoin} from "@web/core/utils/html";
import {registry} from "@web/core/registry";

/**
 * The screen pop: when the phone of this agent rings, the phone system's event
 * reaches the agent's own bus channel (`jecree_incoming_call`) and this service
 * shows who is calling, with one key to open "Nouvel appel" pre-filled.
 */
export const jecreeIncomingCallService = {
    dependencies: ["bus_service", "notification", "action"],
    start(env, {bus_service, notification, action}) {
        bus_service.subscribe("jecree_incoming_call", (payload) => {
            const close = notification.add(
                htmlJoin(payload.lines || [], markup("<br/>")),
                {
                    title: payload.title,
                    type: "info",
                    sticky: true,
                    className: "o_jecree_incoming_call",
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
        });
    },
};

registry.category("services").add("jecree_incoming_call", jecreeIncomingCallService);
