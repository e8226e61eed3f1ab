/* Copyright 2026 Je crée
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";
import {formatInteger} from "@web/views/fields/formatters";
import {GraphRenderer} from "@web/views/graph/graph_renderer";
import {graphView} from "@web/views/graph/graph_view";

/**
 * A graph of counts (calls, referrals): whole numbers on the value axis.
 * Odoo's graph lets Chart.js pick the ticks (0.5, 1.5… for small counts) and
 * prints them with two decimals.
 */
export class JecreeCountGraphRenderer extends GraphRenderer {
    getScaleOptions() {
        const scales = super.getScaleOptions(...arguments);
        if (scales.y) {
            scales.y.ticks.precision = 0;
            scales.y.ticks.callback = (value) => formatInteger(value);
        }
        return scales;
    }
}

registry.category("views").add("jecree_count_graph", {
    ...graphView,
    Renderer: JecreeCountGraphRenderer,
});
