/** @odoo-module **/
// A manager opens the calls analysis as a graph: the value axis counts calls in
// whole numbers (no 0.5 call), and Odoo's own phone calls analysis is not offered
// beside ours.
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("jecree_call_report_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open CRM",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm.crm_menu_report']",
            content: "Reporting",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='jecree_followup.jecree_call_report_menu']",
            content: "Calls analysis",
            run() {
                const theirs = document.querySelector(
                    "[data-menu-xmlid='crm_phonecall.menu_report_crm_phonecalls_tree']",
                );
                if (theirs) {
                    throw new Error("Odoo's phone calls analysis is still in the menu");
                }
                this.anchor.click();
            },
        },
        {
            trigger:
                ".o_control_panel:has(.o_breadcrumb:contains(Calls analysis)) .o_switch_view.o_graph",
            content: "As a graph",
            run: "click",
        },
        {
            trigger: ".o_graph_view:not(.o_view_sample_data) .o_graph_renderer canvas",
            content: "The value axis: whole numbers",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                const ticks = chart.scales.y.ticks;
                if (ticks.length < 2) {
                    throw new Error("no value axis");
                }
                const odd = ticks.filter(
                    (tick) =>
                        !Number.isInteger(tick.value) || !/^\d+$/.test(tick.label),
                );
                if (odd.length) {
                    throw new Error(
                        `calls counted with decimals: ${odd.map((t) => t.label).join(", ")}`,
                    );
                }
            },
        },
    ],
});
