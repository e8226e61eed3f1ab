import {Component, onMounted, onWillUnmount, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * The call's timer on the "New call" screen: the time since the screen opened
 * (the field's value), ticking every second. The server computes the duration
 * at save from the same value; this only shows it to the agent.
 */
export class JecreeCallTimerField extends Component {
    static template = "jecree_project.CallTimerField";
    static props = {...standardFieldProps};

    setup() {
        this.state = useState({now: Date.now()});
        onMounted(() => {
            this.interval = setInterval(() => (this.state.now = Date.now()), 1000);
        });
        onWillUnmount(() => clearInterval(this.interval));
    }

    get elapsed() {
        const start = this.props.record.data[this.props.name];
        if (!start) {
            return "00:00";
        }
        const seconds = Math.max(
            0,
            Math.floor((this.state.now - start.toMillis()) / 1000),
        );
        const pad = (n) => String(n).padStart(2, "0");
        const minutes = Math.floor(seconds / 60);
        return minutes >= 60
            ? `${Math.floor(minutes / 60)}:${pad(minutes % 60)}:${pad(seconds % 60)}`
            : `${pad(minutes)}:${pad(seconds % 60)}`;
    }
}

registry.category("fields").add("jecree_call_timer", {
    component: JecreeCallTimerField,
    displayName: _t("Call timer"),
    supportedTypes: ["datetime"],
});
