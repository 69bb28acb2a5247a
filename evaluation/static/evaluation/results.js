/* Bar chart of the public evaluation results (/danh-gia/ket-qua/), drawn with the vendored Chart.js.
 *
 * Progressive enhancement, as services/statistics.js: the figures are in the page's table, the
 * text equivalent of the chart; without JavaScript or Chart.js the chart box stays hidden.
 * Data: the JSON script element #results-chart-data ({labels, values, max, label}).
 */
(function () {
    "use strict";

    var source = document.getElementById("results-chart-data");
    var box = document.querySelector('[data-chart="results"]');
    if (!source || !box || typeof window.Chart === "undefined") {
        return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.values.length) {
        return;
    }
    var locale = document.documentElement.lang || "vi";
    var format = new Intl.NumberFormat(locale, {minimumFractionDigits: 1, maximumFractionDigits: 1});
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        window.Chart.defaults.animation = false;
    }
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#1b1b1b";
    box.hidden = false;
    new window.Chart(box.querySelector("canvas"), {
        type: "bar",
        data: {
            labels: data.labels,
            datasets: [{label: data.label, data: data.values, backgroundColor: "#0b4ea2"}]
        },
        options: {
            indexAxis: "y",
            maintainAspectRatio: false,
            locale: locale,
            scales: {
                x: {min: 0, max: data.max},
                y: {ticks: {autoSkip: false, callback: function (value) {
                    var label = this.getLabelForValue(value);
                    // Shorter on a phone, where long names leave the bars no room; the table has them in full.
                    var size = window.matchMedia("(max-width: 40em)").matches ? 16 : 32;
                    return label.length > size ? label.slice(0, size - 1) + "…" : label;
                }}}
            },
            plugins: {
                legend: {display: false},
                tooltip: {callbacks: {label: function (item) { return data.label + ": " + format.format(item.raw); }}}
            }
        }
    });
}());
