import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";
import {ViewButton} from "@web/views/view_button/view_button";

/**
 * The free slots of the referral wizard, day by day: a heading per day (the
 * structure's local day) and a button per start time, which books that slot
 * (the slot's `action_book`, as the list's button did). No paging: the wizard
 * offers at most 60 slots.
 */
export class JecreeSlotsByDayField extends Component {
    static template = "jecree_referral.SlotsByDayField";
    static components = {ViewButton};
    static props = {...standardFieldProps};

    get days() {
        const days = [];
        let current = null;
        for (const slot of this.props.record.data[this.props.name].records) {
            const day = slot.data.day || "";
            if (!current || current.label !== day) {
                current = {label: day, slots: []};
                days.push(current);
            }
            current.slots.push(slot);
        }
        return days;
    }
}

registry.category("fields").add("jecree_slots_by_day", {
    component: JecreeSlotsByDayField,
    displayName: _t("Slots by day"),
    supportedTypes: ["one2many"],
    relatedFields: [
        {name: "day", type: "char"},
        {name: "hour", type: "char"},
        {name: "name", type: "char"},
        {name: "start", type: "datetime"},
    ],
});
